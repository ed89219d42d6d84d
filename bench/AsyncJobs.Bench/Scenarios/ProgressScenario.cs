using AsyncJobs.Bench.Events;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// Progress coalescing: a handler reporting 100 times a second (demo.simulate, 10 ms steps). What it costs the
/// database (job.progress events written per second) and what a subscriber sees (progress frames per second: the
/// durable events and the live frames between them). Latency of a live frame counts from the worker's report.
/// </summary>
public sealed class ProgressScenario : IScenario
{
    public string Name => "progress";

    public string Title => "Progress coalescing: 100 reports/s";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var steps = context.Profile.ProgressSteps;
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);
        var jobId = await tenant.SubmitAsync(TenantApi.Job(new { steps, stepDurationMs = 10 }, maxAttempts: 1), cancellationToken);
        await using var stream = await EventSubscription.OpenJobAsync(context.Topology.Http, tenant, jobId, cancellationToken);
        await context.Console.StepAsync($"a job reporting progress {steps:N0} times, every 10 ms", TimeSpan.FromSeconds(steps / 100.0),
            () => stream.WaitForAsync(e => e.IsTerminal, TimeSpan.FromSeconds(60 + (steps / 20.0)), cancellationToken));

        var (written, ran) = await context.Database.ProgressWritesAsync(jobId, cancellationToken);
        var seen = stream.Snapshot().Where(e => e.Type == "job.progress").ToList();
        var reportsPerSecond = steps / ran.TotalSeconds;
        var latency = LatencySummary.Of(seen.Select(e => e.LatencyMilliseconds));

        result.Add(new Measurement("database writes/s (job.progress events)", written / ran.TotalSeconds, "/s", "reports/s by the handler", reportsPerSecond, IssueTargets.ProgressWrites));
        result.Add(new Measurement("updates/s a subscriber sees", seen.Count / ran.TotalSeconds, "/s", "reports/s by the handler", reportsPerSecond, IssueTargets.ProgressSeen));
        result.Add(new Measurement("progress → subscriber, p50", latency.P50, "ms"));
        result.Add(new Measurement("progress → subscriber, p99", latency.P99, "ms"));
        result.Latencies.Add(new LatencySeries("progress event → subscriber", false, latency));
        result.Notes.Add($"The job ran {ran.TotalSeconds:0.0} s (started_at → finished_at) and reported {steps:N0} times; {written} durable progress events were written; " +
            $"the subscriber received {seen.Count} progress frames: {seen.Count(e => !e.Live)} durable and {seen.Count(e => e.Live)} live (Redis pub/sub, no SSE id).");
    }
}
