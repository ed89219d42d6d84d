using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// The outbox relay during a burst: accepted → handed to Hangfire (jobs.handed_over_at − created_at), as jobs/s
/// and lag, next to how fast plain Hangfire Enqueue alone writes the same number of jobs.
/// </summary>
public sealed class RelayScenario : IScenario
{
    public string Name => "relay";

    public string Title => "Relay: accepted → handed to Hangfire";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var burst = context.Profile.RelayBurst;
        var clients = context.Profile.BurstClients;
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);

        var accepted = await context.Console.StepAsync($"AsyncJobs: burst of {burst:N0} submissions, {clients} clients", TimeSpan.FromSeconds(burst / 1_000.0),
            () => ClosedLoop.RunCountAsync(clients, burst, (_, ct) => tenant.TrySubmitAsync(TenantApi.TrivialJob, ct), cancellationToken));
        accepted.EnsureSomeSucceeded("AsyncJobs burst");
        var window = await context.Console.StepAsync("AsyncJobs: waiting for every job to be handed over", TimeSpan.FromSeconds(2),
            () => context.Database.WaitForAsync(tenant.TenantId, w => w.HandedOver >= accepted.Succeeded, "handed over",
                TimeSpan.FromSeconds(60 + (burst / 50.0)), cancellationToken));
        var lags = LatencySummary.Of(await context.Database.HandOverLagsAsync(tenant.TenantId, cancellationToken));

        var hangfire = context.Hangfire;
        var enqueued = await context.Console.StepAsync($"plain Enqueue: {burst:N0} jobs, {clients} threads", TimeSpan.FromSeconds(burst / 300.0),
            () => ClosedLoop.RunCountAsync(clients, burst, (_, _) =>
            {
                hangfire.EnqueueNothing(BaselineHangfire.UnservedQueue);
                return Task.FromResult(true);
            }, cancellationToken));
        enqueued.EnsureSomeSucceeded("plain Enqueue");

        var relayed = window.HandedOver / window.CreatedToLastHandOver!.Value.TotalSeconds;
        result.Add(new Measurement($"handed over, jobs/s (first accept → last hand-over, {burst:N0} jobs)", relayed, "/s", "plain Enqueue, 16 threads", enqueued.PerSecond, IssueTargets.Relay));
        if (window.FirstToLastHandOver is { TotalSeconds: > 0 } handOverOnly)
        {
            result.Add(new Measurement("handed over, jobs/s (first → last hand-over)", window.HandedOver / handOverOnly.TotalSeconds, "/s", "plain Enqueue, 16 threads", enqueued.PerSecond));
        }

        result.Add(new Measurement("accepted during the burst, jobs/s", accepted.PerSecond, "/s"));
        result.Add(new Measurement("accepted → handed over, p50", lags.P50, "ms"));
        result.Add(new Measurement("accepted → handed over, p99", lags.P99, "ms"));
        result.Add(new Measurement("accepted → handed over, max", lags.Max, "ms"));
        result.Latencies.Add(new LatencySeries("accepted → handed over", false, lags));
        result.Latencies.Add(new LatencySeries("plain Enqueue call", true, enqueued.Latency));
        result.Throughputs.Add(new ThroughputBar("relay", "AsyncJobs relay", false, relayed));
        result.Throughputs.Add(new ThroughputBar("relay", "plain Enqueue", true, enqueued.PerSecond));
        result.Notes.Add("A live burst with the worker running: the relay cannot hand over faster than jobs are accepted, so the first figure is bounded by the accept rate.");

        await context.Console.StepAsync("waiting for the burst to drain", TimeSpan.FromSeconds(burst / 100.0),
            () => context.Database.WaitForAsync(tenant.TenantId, w => w.Finished >= w.Total, "finished", TimeSpan.FromSeconds(120 + (burst / 20.0)), cancellationToken));
    }
}
