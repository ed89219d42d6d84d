using System.Diagnostics;
using System.Globalization;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Observability;
using AsyncJobs.Worker.Hangfire;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// What Hangfire runs for a job: claims the job for one attempt (fenced, so a duplicate delivery does
/// nothing), runs its handler with progress and a token that stops it for a cancel request, the timeout,
/// shutdown or a lost lease, and records the outcome that reason calls for.
/// Retries are decided here from the job row, not by Hangfire, so every attempt is in the job's history.
/// Each delivery that claims an attempt is a <c>job.run</c> span (the Hangfire execution) with one <c>job.attempt</c>
/// span inside it, both in the job's trace: children of the accepting request's span, so every attempt of a
/// retried job is a sibling under it.
/// </summary>
public sealed partial class JobRunner(
    JobStore store,
    LiveProgressPublisher liveProgress,
    JobHandlerRegistry handlers,
    IBackgroundJobClient hangfire,
    RunningJobs runningJobs,
    WorkerMetrics metrics,
    JobMetrics jobMetrics,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner> logger)
{
    // Hangfire's whole-second schedule plus its polling: a later early delivery is a duplicate, not the retry itself.
    private static readonly TimeSpan EarlyDeliveryWait = TimeSpan.FromSeconds(2);

    /// <param name="shutdown">
    /// Hangfire's job token: it fires <see cref="WorkerOptions.ShutdownGracePeriod"/> after the server is told to stop
    /// (its StopTimeout), or when the job is deleted in Hangfire. Either way the job is handed back.
    /// </param>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid jobId, string queue, CancellationToken shutdown)
    {
        var deliveredAt = time.GetUtcNow();
        // Not cancellable: a claim that commits but whose answer is abandoned would leave the job running nowhere
        // until the rescuer finds it.
        var job = await StartWhenDueAsync(jobId, shutdown);
        if (job is null)
        {
            LogDuplicateDelivery(jobId);
            return;
        }

        // Started when Hangfire called, known to belong to the job's trace once the claim returned its context.
        using var execution = JobTelemetry.StartJobActivity("job.run", ActivityKind.Consumer, job.TraceParent, job.Id, job.CorrelationId, deliveredAt);
        execution?.SetTag(JobTelemetry.JobTypeTag, job.Type).SetTag(JobTelemetry.QueueTag, queue);
        using var attempt = JobTelemetry.Source.StartActivity("job.attempt");
        attempt?.SetTag(JobTelemetry.JobIdTag, job.Id).SetTag(JobTelemetry.JobTypeTag, job.Type)
            .SetTag(JobTelemetry.AttemptTag, job.Attempt).SetTag("asyncjobs.job.max_attempts", job.MaxAttempts);
        jobMetrics.Started(job.Type, queue, job.PickupLatency, retry: job.Attempt > 1);

        var running = runningJobs.Register(job);
        using var scope = logger.BeginJobScope(job.Id, job.CorrelationId, ("Attempt", job.Attempt));
        LogStarted(job.Id, job.Type, job.Attempt, job.MaxAttempts, job.CorrelationId);
        var handlerStarted = Stopwatch.GetTimestamp();

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

        var handlerDuration = Stopwatch.GetElapsedTime(handlerStarted);
        string outcome;
        if (result is not null)
        {
            await progress.FlushAsync();
            outcome = RecordOutcome(job, await store.SucceedAsync(job.Id, job.Attempt, result, CancellationToken.None), Outcomes.Succeeded);
            if (outcome == Outcomes.Succeeded)
            {
                jobMetrics.Succeeded(job.Type);
            }

            LogSucceeded(job.Id, job.Attempt, job.CorrelationId);
        }
        else
        {
            outcome = await RecordFailureAsync(job, queue, running.StopReason, failure!, progress, attempt);
        }

        attempt?.SetTag(JobTelemetry.OutcomeTag, outcome);
        execution?.SetTag(JobTelemetry.OutcomeTag, outcome);
        jobMetrics.AttemptEnded(job.Type, outcome, handlerDuration);
    }

    private async Task<string> ExecuteHandlerAsync(StartedJob job, ProgressWriter progress, CancellationToken cancellationToken)
    {
        if (!handlers.TryGet(job.Type, out var handler))
        {
            throw new JobFailedException("unknown_job_type", $"No handler for job type '{job.Type}' in this worker.", retryable: false);
        }

        return await handler.ExecuteAsync(job.Payload, new JobContext(job.Id, job.Attempt, job.MaxAttempts, progress, logger, cancellationToken));
    }

    /// <returns>What the attempt came to (<see cref="Outcomes"/>).</returns>
    private async Task<string> RecordFailureAsync(StartedJob job, string queue, StopReason stopReason, Exception failure, ProgressWriter progress, Activity? attempt)
    {
        if (stopReason == StopReason.LeaseLost)
        {
            // The job belongs to the rescuer now (or to whichever worker it gave it to); the fence would refuse any write.
            attempt.SetFailed("lease_lost");
            LogStoppedAfterLeaseLost(job.Id, job.Attempt, job.CorrelationId);
            return Outcomes.LeaseLost;
        }

        await progress.FlushAsync();
        switch (stopReason)
        {
            case StopReason.CancelRequested:
                var cancelled = RecordOutcome(job, await store.CancelRunningAsync(job.Id, job.Attempt, CancellationToken.None), Outcomes.Cancelled);
                if (cancelled == Outcomes.Cancelled)
                {
                    jobMetrics.Cancelled(job.Type, running: true);
                }

                LogCancelled(job.Id, job.Attempt, job.CorrelationId);
                return cancelled;
            case StopReason.Timeout:
                LogTimedOut(job.Id, job.Attempt, job.TimeoutSeconds, job.CorrelationId);
                return await FailAsync(job, queue, new JobError(
                    "timeout", $"The attempt exceeded its timeout of {job.TimeoutSeconds} s.", options.Value.RetryTimedOutJobs, job.Attempt), attempt);
            case StopReason.Shutdown:
                return await HandBackAsync(job);
            default:
                if (failure is not JobFailedException)
                {
                    attempt?.AddException(failure);
                }

                return await FailAsync(job, queue, ErrorFor(job, failure), attempt);
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

    private async Task<string> FailAsync(StartedJob job, string queue, JobError error, Activity? attempt)
    {
        attempt.SetFailed(error.Type, error.Message);
        if (error.Retryable && job.Attempt < job.MaxAttempts)
        {
            var delay = RetryBackoff.Delay(job.Attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared);
            return await RetryAsync(job, queue, error with { NextAttemptAt = time.GetUtcNow() + delay }, delay);
        }

        var outcome = RecordOutcome(job, await store.FailAsync(job.Id, job.Attempt, error.ToJson(), CancellationToken.None), Outcomes.Failed);
        if (outcome == Outcomes.Failed)
        {
            jobMetrics.Failed(job.Type, error.Type);
        }

        LogDeadLettered(job.Id, job.Attempt, error.Type, error.Message, job.CorrelationId);
        return outcome;
    }

    /// <summary>
    /// Claims the job, never before its retry is due. Hangfire.PostgreSql keeps scheduled jobs to whole seconds, so a
    /// retry's delivery may come up to a second early: it waits out the rest. A delivery earlier than that is a
    /// duplicate of the scheduled one (or a rescuer's) and does nothing.
    /// </summary>
    private async Task<StartedJob?> StartWhenDueAsync(Guid jobId, CancellationToken shutdown)
    {
        var job = await store.TryStartAsync(jobId, CancellationToken.None);
        for (var tries = 0; job is null && tries < 3; tries++)
        {
            if (await store.RetryDueInAsync(jobId, CancellationToken.None) is not { } dueIn || dueIn > EarlyDeliveryWait)
            {
                break;
            }

            // Task.Delay truncates to whole milliseconds: the margin keeps the claim from landing just before its time.
            await Task.Delay(dueIn + TimeSpan.FromMilliseconds(20), time, shutdown);
            job = await store.TryStartAsync(jobId, CancellationToken.None);
        }

        return job;
    }

    private async Task<string> RetryAsync(StartedJob job, string queue, JobError error, TimeSpan delay)
    {
        var retrying = await store.ScheduleRetryAsync(job.Id, job.Attempt, error.ToJson(), delay, CancellationToken.None);
        if (retrying is null)
        {
            LogOutcomeRefused(job.Id, job.Attempt, job.CorrelationId);
            return Outcomes.Refused;
        }

        jobMetrics.Retried(job.Type, error.Type);

        // If this enqueue is lost, the rescuer hands the job over again StartTimeout after it was due.
        var hangfireJobId = hangfire.Create(JobRunnerInvocation.For(job.Id, queue), delay <= TimeSpan.Zero ? new EnqueuedState(queue) : new ScheduledState(delay));
        if (long.TryParse(hangfireJobId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            await store.RecordRetryHandOverAsync(job.Id, job.Attempt, id, CancellationToken.None);
        }

        LogRetryScheduled(job.Id, job.Attempt, error.Type, delay.TotalMilliseconds, job.CorrelationId);
        return Outcomes.Retrying;
    }

    private async Task<string> HandBackAsync(StartedJob job)
    {
        var error = new JobError("worker_shutdown", "The worker stopped during the attempt; the job runs again and the attempt does not count.", Retryable: true, job.Attempt);
        var handedBack = await store.HandBackAsync(job.Id, job.Attempt, error.ToJson(), CancellationToken.None);
        if (handedBack is null)
        {
            LogOutcomeRefused(job.Id, job.Attempt, job.CorrelationId);
            return Outcomes.Refused;
        }

        metrics.HandedBack();
        LogHandedBack(job.Id, job.Attempt, job.CorrelationId);
        return Outcomes.HandedBack;
    }

    private string RecordOutcome(StartedJob job, JobEventMessage? written, string outcome)
    {
        if (written is null)
        {
            LogOutcomeRefused(job.Id, job.Attempt, job.CorrelationId);
            return Outcomes.Refused;
        }

        return outcome;
    }

    /// <summary>What an attempt came to: the <c>asyncjobs.job.outcome</c> of its span and duration.</summary>
    private static class Outcomes
    {
        public const string Succeeded = "succeeded";
        public const string Retrying = "retrying";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
        public const string HandedBack = "handed_back";
        public const string LeaseLost = "lease_lost";
        public const string Refused = "refused";
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
