using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// What Hangfire runs for a job: claims the job for one attempt (fenced, so a duplicate delivery does
/// nothing), runs its handler with progress and a token that stops it for a cancel request, the timeout,
/// shutdown or a lost lease, and records the outcome that reason calls for.
/// Retries are decided here from the job row, not by Hangfire, so every attempt is in the job's history.
/// </summary>
public sealed partial class JobRunner(
    JobStore store,
    LiveProgressPublisher liveProgress,
    JobHandlerRegistry handlers,
    IBackgroundJobClient hangfire,
    RunningJobs runningJobs,
    WorkerMetrics metrics,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner> logger)
{
    /// <param name="shutdown">
    /// Hangfire's job token: it fires <see cref="WorkerOptions.ShutdownGracePeriod"/> after the server is told to stop
    /// (its StopTimeout), or when the job is deleted in Hangfire. Either way the job is handed back.
    /// </param>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid jobId, string queue, CancellationToken shutdown)
    {
        // Not cancellable: a claim that commits but whose answer is abandoned would leave the job running nowhere
        // until the rescuer finds it.
        var job = await store.TryStartAsync(jobId, CancellationToken.None);
        if (job is null)
        {
            LogDuplicateDelivery(jobId);
            return;
        }

        var running = runningJobs.Register(job);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = job.Id, ["CorrelationId"] = job.CorrelationId, ["Attempt"] = job.Attempt });
        LogStarted(job.Id, job.Type, job.Attempt, job.MaxAttempts, job.CorrelationId);

        await using var progress = new ProgressWriter(
            store, liveProgress, job, options.Value.ProgressWriteInterval, options.Value.LiveProgressInterval, time, logger);
        string? result = null;
        Exception? failure = null;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(job.TimeoutSeconds), time))
        using (timeout.Token.Register(() => running.Stop(StopReason.Timeout)))
        using (shutdown.Register(() => running.Stop(StopReason.Shutdown)))
        {
            try
            {
                result = await ExecuteHandlerAsync(job, progress, running.Token);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                // The outcome is decided now: no later signal changes it, and no heartbeat renews the lease while it is written.
                runningJobs.Unregister(running);
            }
        }

        if (result is not null)
        {
            await progress.FlushAsync();
            RecordOutcome(job, await store.SucceedAsync(job.Id, job.Attempt, result, CancellationToken.None));
            LogSucceeded(job.Id, job.Attempt, job.CorrelationId);
            return;
        }

        await RecordFailureAsync(job, queue, running.StopReason, failure!, progress);
    }

    private async Task<string> ExecuteHandlerAsync(StartedJob job, ProgressWriter progress, CancellationToken cancellationToken)
    {
        if (!handlers.TryGet(job.Type, out var handler))
        {
            throw new JobFailedException("unknown_job_type", $"No handler for job type '{job.Type}' in this worker.", retryable: false);
        }

        return await handler.ExecuteAsync(job.Payload, new JobContext(job.Id, job.Attempt, job.MaxAttempts, progress, logger, cancellationToken));
    }

    private async Task RecordFailureAsync(StartedJob job, string queue, StopReason stopReason, Exception failure, ProgressWriter progress)
    {
        if (stopReason == StopReason.LeaseLost)
        {
            // The job belongs to the rescuer now (or to whichever worker it gave it to); the fence would refuse any write.
            LogStoppedAfterLeaseLost(job.Id, job.Attempt, job.CorrelationId);
            return;
        }

        await progress.FlushAsync();
        switch (stopReason)
        {
            case StopReason.CancelRequested:
                RecordOutcome(job, await store.CancelRunningAsync(job.Id, job.Attempt, CancellationToken.None));
                LogCancelled(job.Id, job.Attempt, job.CorrelationId);
                break;
            case StopReason.Timeout:
                LogTimedOut(job.Id, job.Attempt, job.TimeoutSeconds, job.CorrelationId);
                await FailAsync(job, queue, new JobError(
                    "timeout", $"The attempt exceeded its timeout of {job.TimeoutSeconds} s.", options.Value.RetryTimedOutJobs, job.Attempt));
                break;
            case StopReason.Shutdown:
                await HandBackAsync(job);
                break;
            default:
                await FailAsync(job, queue, ErrorFor(job, failure));
                break;
        }
    }

    private JobError ErrorFor(StartedJob job, Exception failure)
    {
        if (failure is JobFailedException declared)
        {
            return new JobError(declared.ErrorType, declared.Message, declared.Retryable, job.Attempt);
        }

        LogHandlerCrashed(job.Id, job.CorrelationId, failure);
        return new JobError("unhandled_exception", failure.Message, Retryable: true, job.Attempt);
    }

    private async Task FailAsync(StartedJob job, string queue, JobError error)
    {
        if (error.Retryable && job.Attempt < job.MaxAttempts)
        {
            var delay = RetryBackoff.Delay(job.Attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared);
            await RetryAsync(job, queue, error with { NextAttemptAt = time.GetUtcNow() + delay }, delay);
            return;
        }

        RecordOutcome(job, await store.FailAsync(job.Id, job.Attempt, error.ToJson(), CancellationToken.None));
        LogDeadLettered(job.Id, job.Attempt, error.Type, error.Message, job.CorrelationId);
    }

    private async Task RetryAsync(StartedJob job, string queue, JobError error, TimeSpan delay)
    {
        var retrying = await store.ScheduleRetryAsync(job.Id, job.Attempt, error.ToJson(), delay, CancellationToken.None);
        if (retrying is null)
        {
            LogOutcomeRefused(job.Id, job.Attempt, job.CorrelationId);
            return;
        }

        // If this enqueue is lost, the rescuer hands the job over again StartTimeout after it was due.
        var next = global::Hangfire.Common.Job.FromExpression<JobRunner>(runner => runner.RunAsync(job.Id, queue, CancellationToken.None), queue);
        hangfire.Create(next, delay <= TimeSpan.Zero ? new EnqueuedState(queue) : new ScheduledState(delay));
        LogRetryScheduled(job.Id, job.Attempt, error.Type, delay.TotalMilliseconds, job.CorrelationId);
    }

    private async Task HandBackAsync(StartedJob job)
    {
        var error = new JobError("worker_shutdown", "The worker stopped during the attempt; the job runs again and the attempt does not count.", Retryable: true, job.Attempt);
        var handedBack = await store.HandBackAsync(job.Id, job.Attempt, error.ToJson(), CancellationToken.None);
        if (handedBack is null)
        {
            LogOutcomeRefused(job.Id, job.Attempt, job.CorrelationId);
            return;
        }

        metrics.HandedBack();
        LogHandedBack(job.Id, job.Attempt, job.CorrelationId);
    }

    private void RecordOutcome(StartedJob job, JobEventMessage? outcome)
    {
        if (outcome is null)
        {
            LogOutcomeRefused(job.Id, job.Attempt, job.CorrelationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was delivered again but is not startable; ignoring the duplicate")]
    private partial void LogDuplicateDelivery(Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started job {JobId} of type {JobType}, attempt {Attempt} of {MaxAttempts} (correlation {CorrelationId})")]
    private partial void LogStarted(Guid jobId, string jobType, int attempt, int maxAttempts, string? correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} succeeded on attempt {Attempt} (correlation {CorrelationId})")]
    private partial void LogSucceeded(Guid jobId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} of job {JobId} failed with {ErrorType}; retrying in {DelayMs:F0} ms (correlation {CorrelationId})")]
    private partial void LogRetryScheduled(Guid jobId, int attempt, string errorType, double delayMs, string? correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed on attempt {Attempt} with {ErrorType}: {ErrorMessage}; dead-lettered (correlation {CorrelationId})")]
    private partial void LogDeadLettered(Guid jobId, int attempt, string errorType, string errorMessage, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handler of job {JobId} threw (correlation {CorrelationId})")]
    private partial void LogHandlerCrashed(Guid jobId, string? correlationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was cancelled during attempt {Attempt} (correlation {CorrelationId})")]
    private partial void LogCancelled(Guid jobId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} of job {JobId} exceeded its timeout of {TimeoutSeconds} s (correlation {CorrelationId})")]
    private partial void LogTimedOut(Guid jobId, int attempt, int timeoutSeconds, string? correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker is stopping; job {JobId} attempt {Attempt} is handed back to run again (correlation {CorrelationId})")]
    private partial void LogHandedBack(Guid jobId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} of job {JobId} stopped without an outcome: its lease was lost, and the job is (or will be) rescued to run again (correlation {CorrelationId})")]
    private partial void LogStoppedAfterLeaseLost(Guid jobId, int attempt, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of attempt {Attempt} of job {JobId} was refused: the attempt no longer owns the job (correlation {CorrelationId})")]
    private partial void LogOutcomeRefused(Guid jobId, int attempt, string? correlationId);
}
