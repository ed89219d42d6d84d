using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Handlers;

/// <summary><c>report.generate</c> end to end: submitted through the API, run by the worker, followed over SSE.</summary>
[Collection(HandlersCollectionDefinition.Name)]
public sealed class ReportGenerateJobTests(HandlerTopologyFixture fixture) : HandlerScenario(fixture)
{
    [Fact]
    public async Task A_report_streams_its_progress_and_its_result_is_the_aggregate_of_every_row()
    {
        using var deadline = StartDeadline();
        using var api = Fixture.ApiClient();

        var job = await SubmitAsync(api, "report.generate", new { rows = 200_000, seed = 7, groupBy = "month", chunkSize = 10_000 }, deadline.Token);
        var events = await FollowToEndAsync(job, "job.succeeded", deadline.Token);

        // The worker coalesces progress (one write per 200 ms), and 200,000 rows take tens of milliseconds: the stream
        // shows a report from the first chunks and the final one, never one per chunk.
        var progress = events.Where(e => e.Type == "job.progress").Select(e => e.Data.Progress.ShouldNotBeNull()).ToList();
        progress.Count.ShouldBeGreaterThanOrEqualTo(2, string.Join(", ", progress));
        progress.Zip(progress.Skip(1)).ShouldAllBe(pair => pair.Second.Percent > pair.First.Percent);
        progress[^1].Percent.ShouldBe(100);
        progress[^1].Message.ShouldBe("Aggregated 200,000 of 200,000 rows");
        progress.ShouldAllBe(p => p.Message!.EndsWith(" of 200,000 rows", StringComparison.Ordinal));

        var result = await GetResultAsync(api, job.Id, deadline.Token);
        result.GetProperty("groupBy").GetString().ShouldBe("month");
        result.GetProperty("rows").GetInt32().ShouldBe(200_000);
        result.GetProperty("totals").GetProperty("rows").GetInt32().ShouldBe(200_000);
        var groups = result.GetProperty("groups").EnumerateArray().ToList();
        groups.ShouldNotBeEmpty();
        groups.Sum(g => g.GetProperty("count").GetInt32()).ShouldBe(200_000);
        groups.Sum(g => g.GetProperty("revenue").GetDecimal()).ShouldBe(result.GetProperty("totals").GetProperty("revenue").GetDecimal());

        var status = await GetJobAsync(api, job.Id, deadline.Token);
        status.Status.ShouldBe("succeeded");
        status.Attempt.ShouldBe(1);
        JsonElement.DeepEquals(status.Result.ShouldNotBeNull(), result).ShouldBeTrue("GET /jobs/{id} and GET /jobs/{id}/result disagree");
    }

    [Fact]
    public async Task The_same_seed_reports_the_same_figures_in_another_run()
    {
        using var deadline = StartDeadline();
        using var api = Fixture.ApiClient();
        var payload = new { rows = 50_000, seed = 11, groupBy = "product" };

        var first = await SubmitAsync(api, "report.generate", payload, deadline.Token);
        var second = await SubmitAsync(api, "report.generate", payload, deadline.Token);
        await FollowToEndAsync(first, "job.succeeded", deadline.Token);
        await FollowToEndAsync(second, "job.succeeded", deadline.Token);

        var firstGroups = (await GetResultAsync(api, first.Id, deadline.Token)).GetProperty("groups");
        var secondGroups = (await GetResultAsync(api, second.Id, deadline.Token)).GetProperty("groups");
        JsonElement.DeepEquals(firstGroups, secondGroups).ShouldBeTrue($"{firstGroups} vs {secondGroups}");
    }
}
