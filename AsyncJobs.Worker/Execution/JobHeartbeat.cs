using AsyncJobs.Core.Data;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// Renews the lease of every attempt running in this process, in one statement per beat, and stops the handlers
/// of attempts that lost their job (the rescuer gave it to another worker). It is registered before the Hangfire
/// server, so the host stops it after Hangfire: jobs finishing during the shutdown grace period keep their leases.
/// </summary>
public sealed partial class JobHeartbeat(
    JobStore store,
    RunningJobs runningJobs,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<JobHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var running = runningJobs.Snapshot();
        if (running.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        IReadOnlyDictionary<Guid, bool> owned;
        try
        {
            // Bounded by the interval: a beat that hangs counts as missed. It writes no event, so cancelling it is harmless.
            using var beatTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            beatTimeout.CancelAfter(options.Value.HeartbeatInterval);
            owned = await store.HeartbeatManyAsync(running.Select(r => (r.JobId, r.Attempt)).ToArray(), beatTimeout.Token);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogHeartbeatFailed(running.Count, exception);
            StopExpiringLeases(running, now);
            return;
        }

        foreach (var job in running)
        {
            if (!owned.TryGetValue(job.JobId, out var cancelRequested))
            {
                if (job.Stop(StopReason.LeaseLost))
                {
                    LogLeaseLost(job.JobId, job.Attempt, job.CorrelationId);
                }

                continue;
            }

            job.LeaseRenewedAt = now;
            if (cancelRequested)
            {
                job.Stop(StopReason.CancelRequested);
            }
        }
    }

    /// <summary>
    /// Self-fencing: when this process cannot renew a lease (the database is unreachable from here), it stops the
    /// handler one interval before the lease can expire, so a rescuer elsewhere never starts the job while it still runs here.
    /// </summary>
    private void StopExpiringLeases(IReadOnlyList<RunningJob> running, DateTimeOffset now)
    {
        var settings = options.Value;
        foreach (var job in running)
        {
            if (now - job.LeaseRenewedAt >= settings.LeaseTimeout - settings.HeartbeatInterval && job.Stop(StopReason.LeaseLost))
            {
                LogLeaseExpiring(job.JobId, job.Attempt, (now - job.LeaseRenewedAt).TotalSeconds, job.CorrelationId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the leases of {Count} running jobs; retrying on the next beat")]
    private partial void LogHeartbeatFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt}: lease not renewed for {Seconds:0.#} s; stopping its handler before a rescuer restarts the job elsewhere (correlation {CorrelationId})")]
    private partial void LogLeaseExpiring(Guid jobId, int attempt, double seconds, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} lost its lease (rescued elsewhere); stopping its handler (correlation {CorrelationId})")]
    private partial void LogLeaseLost(Guid jobId, int attempt, string? correlationId);
}
