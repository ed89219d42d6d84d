using System.Diagnostics;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// Crash recovery: kill -9 the worker running a job, start it again as an orchestrator would, and time until the
/// job runs again (its attempt goes up; started_at keeps the first start by design).
/// </summary>
public sealed class RecoveryScenario : IScenario
{
    private static readonly byte[] LongJob = TenantApi.Job(new { steps = 1000, stepDurationMs = 100 }, maxAttempts: 5);

    public string Name => "recovery";

    public string Title => "Crash recovery: kill -9 of the worker → job running again";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var trials = context.Profile.RecoveryTrials;
        // One worker, so the killed process is the one running the job.
        await context.Topology.StopExtraWorkerAsync();
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);
        var recoveries = new List<double>();
        var restarts = new List<double>();
        for (var trial = 1; trial <= trials; trial++)
        {
            var (recovery, restart) = await context.Console.StepAsync($"trial {trial} of {trials}: kill -9, restart, wait for the next attempt", TimeSpan.FromSeconds(25),
                () => RecoverOnceAsync(context, tenant, cancellationToken));
            recoveries.Add(recovery.TotalMilliseconds);
            restarts.Add(restart.TotalMilliseconds);
        }

        var summary = LatencySummary.Of(recoveries);
        result.Add(new Measurement("kill -9 → running again, p50", summary.P50 / 1000, "s"));
        result.Add(new Measurement("kill -9 → running again, max", summary.Max / 1000, "s", Target: IssueTargets.Recovery));
        result.Add(new Measurement("worker restart (process start → healthy), mean", restarts.Average() / 1000, "s"));
        result.Latencies.Add(new LatencySeries("kill -9 → running again", false, summary));
        result.Notes.Add("The bound by configuration (Worker defaults): LeaseTimeout 20 s + RescueInterval 5 s + pickup, under 30 s while some worker is alive; " +
            "here the only worker is restarted at once, so its restart overlaps the wait for the lease to expire.");
    }

    private static async Task<(TimeSpan Recovery, TimeSpan Restart)> RecoverOnceAsync(BenchContext context, TenantApi tenant, CancellationToken cancellationToken)
    {
        var jobId = await tenant.SubmitAsync(LongJob, cancellationToken);
        var running = await context.Database.WaitForJobAsync(jobId, j => j.State == "running", "running", TimeSpan.FromSeconds(30), cancellationToken);

        var clock = Stopwatch.StartNew();
        context.Topology.KillWorker();
        TimeSpan restart;
        try
        {
            await context.Topology.StartWorkerAsync(cancellationToken);
            restart = clock.Elapsed;
        }
        catch
        {
            // Later scenarios need a worker: try once more before giving up on this one.
            await context.Topology.EnsureWorkerRunningAsync(CancellationToken.None);
            throw;
        }

        await context.Database.WaitForJobAsync(jobId, j => j.State == "running" && j.Attempt > running.Attempt, "running again",
            TimeSpan.FromSeconds(120), cancellationToken);
        var recovery = clock.Elapsed;

        await tenant.CancelAsync(jobId, cancellationToken);
        await context.Database.WaitForJobAsync(jobId, j => j.IsFinished, "finished after cancel", TimeSpan.FromSeconds(30), cancellationToken);
        return (recovery, restart);
    }
}
