using AsyncJobs.Core.Data;
using AsyncJobs.Worker.Execution;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Worker.Cancellation;

/// <summary>
/// The database fallback of <see cref="CancellationListener"/>: reads the durable cancel flags of every job running
/// in this process in one query per interval, so a cancel whose Redis signal was lost still lands within it.
/// Like the heartbeat it outlives the Hangfire server at shutdown, so jobs finishing in the grace period stay cancellable.
/// </summary>
public sealed partial class CancelRequestPoller(
    JobStore store,
    RunningJobs runningJobs,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<CancelRequestPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CancelPollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var running = runningJobs.Snapshot();
        if (running.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var jobId in await store.FindCancelRequestedAsync(running.Select(r => r.JobId).ToArray(), cancellationToken))
            {
                if (runningJobs.TryStop(jobId, StopReason.CancelRequested))
                {
                    LogCancelFound(jobId);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPollFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel request for job {JobId} found in the database: stopping its handler")]
    private partial void LogCancelFound(Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read cancel requests; retrying on the next poll")]
    private partial void LogPollFailed(Exception exception);
}
