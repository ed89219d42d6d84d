using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// The outbox relay (accepted → handed to Hangfire), next to how fast plain Hangfire Enqueue alone writes the same
/// number of jobs into a queue nobody serves. First the relay alone, like the baseline: a backlog accepted while no
/// worker runs, then handed over by a worker that runs no job. Then a live burst with the worker running every job.
/// </summary>
public sealed class RelayScenario : IScenario
{
    private const string EnqueueLabel = "plain Enqueue, 16 threads";

    public string Name => "relay";

    public string Title => "Relay: accepted → handed to Hangfire";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var burst = context.Profile.RelayBurst;
        var clients = context.Profile.BurstClients;

        var hangfire = context.Hangfire;
        var enqueued = await context.Console.StepAsync($"plain Enqueue: {burst:N0} jobs, {clients} threads", TimeSpan.FromSeconds(burst / 300.0),
            () => ClosedLoop.RunCountAsync(clients, burst, (_, _) =>
            {
                hangfire.EnqueueNothing(BaselineHangfire.UnservedQueue);
                return Task.FromResult(true);
            }, cancellationToken));
        enqueued.EnsureSomeSucceeded("plain Enqueue");
        result.Latencies.Add(new LatencySeries("plain Enqueue call", true, enqueued.Latency));
        result.Throughputs.Add(new ThroughputBar("relay", "plain Enqueue", true, enqueued.PerSecond));

        await MeasureRelayAloneAsync(context, result, burst, clients, enqueued, cancellationToken);
        await MeasureLiveBurstAsync(context, result, burst, clients, enqueued, cancellationToken);
    }

    private static async Task MeasureRelayAloneAsync(BenchContext context, ScenarioResult result, int burst, int clients, LoadResult enqueued, CancellationToken cancellationToken)
    {
        var tenant = await context.Topology.CreateTenantAsync("relay-alone", cancellationToken);
        await context.Topology.StopWorkersAsync();
        try
        {
            var accepted = await SubmitAsync(context, tenant, $"AsyncJobs: {burst:N0} submissions while no worker runs, {clients} clients", burst, clients, cancellationToken);

            await context.Topology.StartRelayOnlyWorkerAsync(cancellationToken);
            var window = await context.Console.StepAsync("AsyncJobs: a worker that runs no job hands the backlog over", TimeSpan.FromSeconds(burst / 500.0),
                () => context.Database.WaitForAsync(tenant.TenantId, w => w.HandedOver >= accepted.Succeeded, "handed over",
                    TimeSpan.FromSeconds(60 + (burst / 50.0)), cancellationToken));
            // handed_over_at is each batch's claim time: the window runs from the first claim until the last batch was
            // seen committed (this poll, at most 250 ms late, so the rate errs low), not to the last claim.
            var handingOver = await context.Database.SinceFirstHandOverAsync(tenant.TenantId, cancellationToken);
            await context.Topology.StopRelayOnlyWorkerAsync();
            if (window.Started > 0)
            {
                throw new InvalidOperationException($"{window.Started} jobs started while only the relay-only worker ran: Worker:ExecuteJobs=false did not hold.");
            }

            var relayed = window.HandedOver / handingOver.TotalSeconds;
            result.Add(new Measurement($"relay alone, jobs/s (first claim → all committed, {burst:N0}-job backlog)", relayed, "/s", EnqueueLabel, enqueued.PerSecond, IssueTargets.Relay));
            result.Throughputs.Add(new ThroughputBar("relay", "AsyncJobs relay alone", false, relayed));
        }
        finally
        {
            await context.Topology.RestartStoppedWorkersAsync(CancellationToken.None);
        }

        await WaitForDrainAsync(context, tenant, burst, cancellationToken);
        result.Notes.Add("Relay alone: the backlog is accepted while no worker runs, then one worker with Worker:ExecuteJobs=false (outbox relay, no Hangfire server) " +
            "hands it over; plain Enqueue likewise writes into a queue no server reads. The window runs from that worker's first claim until every hand-over is seen committed.");
    }

    private static async Task MeasureLiveBurstAsync(BenchContext context, ScenarioResult result, int burst, int clients, LoadResult enqueued, CancellationToken cancellationToken)
    {
        var tenant = await context.Topology.CreateTenantAsync("relay", cancellationToken);
        var accepted = await SubmitAsync(context, tenant, $"AsyncJobs: live burst of {burst:N0} submissions, {clients} clients", burst, clients, cancellationToken);
        var window = await context.Console.StepAsync("AsyncJobs: waiting for every job to be handed over", TimeSpan.FromSeconds(2),
            () => context.Database.WaitForAsync(tenant.TenantId, w => w.HandedOver >= accepted.Succeeded, "handed over",
                TimeSpan.FromSeconds(60 + (burst / 50.0)), cancellationToken));
        var lags = LatencySummary.Of(await context.Database.HandOverLagsAsync(tenant.TenantId, cancellationToken));

        var relayed = window.HandedOver / window.CreatedToLastHandOver!.Value.TotalSeconds;
        result.Add(new Measurement($"live burst, handed over jobs/s (first accept → last hand-over, {burst:N0} jobs)", relayed, "/s", EnqueueLabel, enqueued.PerSecond));
        result.Add(new Measurement("live burst, accepted jobs/s", accepted.PerSecond, "/s"));
        result.Add(new Measurement("live burst, accepted → handed over, p50", lags.P50, "ms"));
        result.Add(new Measurement("live burst, accepted → handed over, p99", lags.P99, "ms"));
        result.Add(new Measurement("live burst, accepted → handed over, max", lags.Max, "ms"));
        result.Latencies.Add(new LatencySeries("accepted → handed over (live burst)", false, lags));
        result.Throughputs.Add(new ThroughputBar("relay", "AsyncJobs live burst", false, relayed));
        result.Notes.Add("Live burst: the worker runs every job while the burst is accepted and handed over, so the API, the relay and the jobs share the 2 cores; " +
            "the hand-over cannot outpace the accepts.");

        await WaitForDrainAsync(context, tenant, burst, cancellationToken);
    }

    private static async Task<LoadResult> SubmitAsync(BenchContext context, TenantApi tenant, string step, int burst, int clients, CancellationToken cancellationToken)
    {
        var accepted = await context.Console.StepAsync(step, TimeSpan.FromSeconds(burst / 1_000.0),
            () => ClosedLoop.RunCountAsync(clients, burst, (_, ct) => tenant.TrySubmitAsync(TenantApi.TrivialJob, ct), cancellationToken));
        return accepted.EnsureSomeSucceeded(step);
    }

    private static Task<JobWindow> WaitForDrainAsync(BenchContext context, TenantApi tenant, int burst, CancellationToken cancellationToken) =>
        context.Console.StepAsync("waiting for the jobs to drain", TimeSpan.FromSeconds(burst / 100.0),
            () => context.Database.WaitForAsync(tenant.TenantId, w => w.Finished >= w.Total, "finished", TimeSpan.FromSeconds(120 + (burst / 20.0)), cancellationToken));
}
