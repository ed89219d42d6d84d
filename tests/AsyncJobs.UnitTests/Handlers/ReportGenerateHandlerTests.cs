using System.Text.Json;
using AsyncJobs.Core;
using AsyncJobs.Core.Handlers.BuiltIn;
using Shouldly;

namespace AsyncJobs.UnitTests.Handlers;

public sealed class ReportGenerateHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly ReportGenerateHandler handler = new(new FixedTime(Now));

    [Fact]
    public async Task The_same_seed_gives_the_same_report()
    {
        var payload = new ReportGeneratePayload { Rows = 25_000, Seed = 42, GroupBy = ReportGroupings.Product };

        var first = await RunAsync(payload);
        var second = await RunAsync(payload);

        JsonSerializer.Serialize(second, JobsJson.Options).ShouldBe(JsonSerializer.Serialize(first, JobsJson.Options));
    }

    [Fact]
    public async Task Another_seed_gives_another_report()
    {
        var first = await RunAsync(new ReportGeneratePayload { Rows = 25_000, Seed = 1 });
        var second = await RunAsync(new ReportGeneratePayload { Rows = 25_000, Seed = 2 });

        second.Totals.Revenue.ShouldNotBe(first.Totals.Revenue);
        second.Groups.Select(g => g.Count).ShouldNotBe(first.Groups.Select(g => g.Count));
    }

    [Fact]
    public async Task The_chunk_size_changes_the_progress_steps_not_the_report()
    {
        var coarse = new RecordedProgress();
        var fine = new RecordedProgress();

        var byCoarseChunks = await handler.ExecuteAsync(new ReportGeneratePayload { Rows = 30_000, ChunkSize = 10_000 }, coarse.Context(TestContext.Current.CancellationToken));
        var byFineChunks = await handler.ExecuteAsync(new ReportGeneratePayload { Rows = 30_000, ChunkSize = 1_500 }, fine.Context(TestContext.Current.CancellationToken));

        JsonSerializer.Serialize(byFineChunks, JobsJson.Options).ShouldBe(JsonSerializer.Serialize(byCoarseChunks, JobsJson.Options));
        coarse.Reports.Count.ShouldBe(3);
        fine.Reports.Count.ShouldBe(20);
    }

    [Theory]
    [InlineData(ReportGroupings.Region, 5)]
    [InlineData(ReportGroupings.Product, 10)]
    [InlineData(ReportGroupings.Month, 12)]
    public async Task The_totals_are_the_sum_of_the_groups(string groupBy, int groupCount)
    {
        var report = await RunAsync(new ReportGeneratePayload { Rows = 50_000, Seed = 7, GroupBy = groupBy });

        report.GroupBy.ShouldBe(groupBy);
        report.Rows.ShouldBe(50_000);
        report.GeneratedAt.ShouldBe(Now);
        report.Groups.Count.ShouldBe(groupCount);
        report.Groups.Select(g => g.Key).ShouldBe(report.Groups.Select(g => g.Key).Order(StringComparer.Ordinal));
        report.Totals.Rows.ShouldBe(report.Groups.Sum(g => g.Count));
        report.Totals.Rows.ShouldBe(50_000);
        report.Totals.Revenue.ShouldBe(report.Groups.Sum(g => g.Revenue));
        report.Totals.Min.ShouldBe(report.Groups.Min(g => g.Min));
        report.Totals.Max.ShouldBe(report.Groups.Max(g => g.Max));
        report.Totals.Average.ShouldBe(Math.Round(report.Totals.Revenue / report.Totals.Rows, 2, MidpointRounding.AwayFromZero));
        report.Groups.ShouldAllBe(g => g.Min > 0 && g.Min <= g.Average && g.Average <= g.Max);
    }

    [Fact]
    public async Task Months_are_keyed_and_sorted_by_calendar_month()
    {
        var report = await RunAsync(new ReportGeneratePayload { Rows = 20_000, GroupBy = ReportGroupings.Month });

        report.Groups.Select(g => g.Key).ShouldBe(Enumerable.Range(1, 12).Select(m => $"2025-{m:00}"));
    }

    [Fact]
    public async Task Progress_is_reported_after_every_chunk()
    {
        var progress = new RecordedProgress();

        await handler.ExecuteAsync(new ReportGeneratePayload { Rows = 25_000, ChunkSize = 10_000 }, progress.Context(TestContext.Current.CancellationToken));

        progress.Reports.Select(p => p.Percent).ShouldBe([40, 80, 100]);
        progress.Reports.Select(p => p.Message).ShouldBe(["Aggregated 10,000 of 25,000 rows", "Aggregated 20,000 of 25,000 rows", "Aggregated 25,000 of 25,000 rows"]);
        progress.Reports.ShouldAllBe(p => p.Step == ReportGenerateHandler.AggregateStep);
    }

    [Fact]
    public async Task A_cancelled_job_stops_between_chunks()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordedProgress(afterReport: reports =>
        {
            if (reports == 2)
            {
                cancellation.Cancel();
            }
        });

        await Should.ThrowAsync<OperationCanceledException>(() =>
            handler.ExecuteAsync(new ReportGeneratePayload { Rows = 100_000, ChunkSize = 10_000 }, progress.Context(cancellation.Token)));

        progress.Reports.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"rows":1,"seed":-5,"groupBy":"month","chunkSize":1000}""")]
    [InlineData("""{"rows":5000000,"chunkSize":1000000,"groupBy":"product"}""")]
    public void Valid_payloads_pass(string json) =>
        handler.Validate(JsonElement.Parse(json)).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("""{"rows":0}""", "payload.rows")]
    [InlineData("""{"rows":5000001}""", "payload.rows")]
    [InlineData("""{"groupBy":"customer"}""", "payload.groupBy")]
    [InlineData("""{"groupBy":"Region"}""", "payload.groupBy")]
    [InlineData("""{"chunkSize":999}""", "payload.chunkSize")]
    [InlineData("""{"chunkSize":1000001}""", "payload.chunkSize")]
    [InlineData("""{"seed":"abc"}""", "payload.seed")]
    public void Invalid_payloads_name_the_field(string json, string field)
    {
        var validation = handler.Validate(JsonElement.Parse(json));

        validation.IsValid.ShouldBeFalse();
        validation.Errors.Keys.ShouldContain(field);
    }

    [Fact]
    public void An_unknown_grouping_says_which_ones_exist() =>
        handler.Validate(JsonElement.Parse("""{"groupBy":"customer"}""")).Errors["payload.groupBy"].ShouldBe(["Use region, product or month."]);

    [Fact]
    public void The_plan_counts_chunks_and_estimates_from_the_measured_rate()
    {
        var plan = handler.Plan(JsonElement.Parse("""{"rows":2500000,"chunkSize":100000,"groupBy":"month"}""")).ShouldBeOfType<ReportGeneratePlan>();

        plan.ShouldBe(new ReportGeneratePlan(2_500_000, 25, "month", 2_500_000 / ReportGenerateHandler.MeasuredRowsPerMillisecond));
    }

    [Fact]
    public void The_plan_of_the_defaults_is_ten_chunks_by_region() =>
        handler.Plan(JsonElement.Parse("{}")).ShouldBeOfType<ReportGeneratePlan>().ShouldSatisfyAllConditions(
            plan => plan.Rows.ShouldBe(100_000),
            plan => plan.Chunks.ShouldBe(10),
            plan => plan.GroupBy.ShouldBe("region"),
            plan => plan.EstimatedDurationMs.ShouldBeGreaterThan(0));

    private Task<ReportGenerateResult> RunAsync(ReportGeneratePayload payload) =>
        handler.ExecuteAsync(payload, new RecordedProgress().Context(TestContext.Current.CancellationToken));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
