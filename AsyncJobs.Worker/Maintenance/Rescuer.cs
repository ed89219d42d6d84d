using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Observability;
using AsyncJobs.Worker.Execution;
using AsyncJobs.Worker.Hangfire;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Worker.Maintenance;

/// <summary>
/// Takes back, in every worker and every <see cref="WorkerOptions.RescueInterval"/>, the jobs nobody will finish:
/// <list type="bullet">
/// <item>a running job whose lease (<c>heartbeat_at</c>) is older than <see cref="WorkerOptions.LeaseTimeout"/>: its
/// worker died. It runs again at once (attempt counted, error <c>worker_lost</c>) or, with no attempts left, is dead-lettered;</item>
/// <item>a job handed to Hangfire that has not started <see cref="WorkerOptions.StartTimeout"/> after it was due, and that
/// Hangfire's queue has passed (its Hangfire job is ahead of the queue's first unfetched entry): Hangfire fetched and never
/// ran it, or lost it (TOOLCHAIN.md). It is handed over again; fencing makes a duplicate delivery harmless. A job
/// waiting in line behind a backlog is not touched, and the sweep reads only the jobs ahead of the line, however long it is.</item>
/// </list>
/// Recovery bound after <c>kill -9</c>: the dead worker's last heartbeat is no older than the kill, so its lease
/// expires at most LeaseTimeout after it, a rescuer sees that within RescueInterval, and the relay (NOTIFY) and
/// Hangfire (long polling) start it again in milliseconds: with the defaults 20 s + 5 s + pickup, about 25 s (the guarantee is 60 s, for loaded hosts),
/// provided some worker is alive (otherwise from when one starts). Every statement is guarded, so rescuers in
/// several workers may run at once.
/// </summary>
public sealed partial class Rescuer(
    JobStore store,
    WorkerMetrics metrics,
    JobMetrics jobMetrics,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<Rescuer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.RescueInterval, time);
        try
        {
            do
            {
                try
                {
                    await RescueAsync(settings, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRescueFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: lost attempts first, then stranded hand-overs, each in batches until none is left.</summary>
    public async Task RescueAsync(WorkerOptions settings, CancellationToken cancellationToken)
    {
        while (await RescueLostAttemptsAsync(settings, cancellationToken) == settings.RescueBatchSize)
        {
        }

        while (await ReleaseStrandedAsync(settings, cancellationToken) == settings.RescueBatchSize)
        {
        }
    }

    private async Task<int> RescueLostAttemptsAsync(WorkerOptions settings, CancellationToken cancellationToken)
    {
        var lost = await store.FindLostAttemptsAsync(settings.LeaseTimeout, settings.RescueBatchSize, cancellationToken);
        foreach (var (jobId, attempt) in lost)
        {
            var error = new JobError(
                "worker_lost",
                $"The worker running attempt {attempt} stopped renewing its lease for {settings.LeaseTimeout.TotalSeconds:0.#} s (it crashed or hung).",
                Retryable: true,
                attempt);
            // Not cancelled at shutdown: a cancelled statement that inserted an event would leave a gap in job_events ids.
            var rescued = await store.RescueLostAttemptAsync(jobId, attempt, error.ToJson(), settings.LeaseTimeout, CancellationToken.None);
            if (rescued is null)
            {
                continue;
            }

            using var scope = logger.BeginJobScope(jobId, rescued.CorrelationId);
            if (rescued.Event.Type == JobEventTypes.Failed)
            {
                metrics.Rescued("worker_lost_dead_lettered");
                jobMetrics.Failed(rescued.Type, error.Type);
                LogLostDeadLettered(jobId, attempt, rescued.CorrelationId);
            }
            else
            {
                metrics.Rescued("worker_lost");
                LogLostRequeued(jobId, attempt, rescued.CorrelationId);
            }
        }

        return lost.Count;
    }

    private async Task<int> ReleaseStrandedAsync(WorkerOptions settings, CancellationToken cancellationToken)
    {
        // A job still waiting unfetched in Hangfire's queue is in line behind a backlog, not stranded: handing it over
        // again would only add a duplicate to the line (harmless, fenced, but it makes a long drain longer).
        var released = await store.ReleaseStrandedAsync(settings.StartTimeout, settings.RescueBatchSize, HangfireSetup.SchemaName, cancellationToken);
        foreach (var (jobId, state, correlationId) in released)
        {
            LogNotStarted(jobId, state, settings.StartTimeout.TotalSeconds, correlationId);
        }

        if (released.Count > 0)
        {
            metrics.Rescued("not_started", released.Count);
        }

        return released.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescued job {JobId}: attempt {Attempt} lost its worker; it runs again (correlation {CorrelationId})")]
    private partial void LogLostRequeued(Guid jobId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rescued job {JobId}: attempt {Attempt} lost its worker and was the last; dead-lettered (correlation {CorrelationId})")]
    private partial void LogLostDeadLettered(Guid jobId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescued job {JobId}: {State} but not started {StartTimeoutSeconds:0.#} s after it was due; handing it over again (correlation {CorrelationId})")]
    private partial void LogNotStarted(Guid jobId, string state, double startTimeoutSeconds, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescue pass failed; retrying on the next interval")]
    private partial void LogRescueFailed(Exception exception);
}
