using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Worker.Hangfire;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// What Hangfire runs for a job: claims the job for one attempt (fenced, so a duplicate delivery does
/// nothing), runs its handler with progress, a timeout and cancellation, and records the outcome.
/// Retries are decided here from the job row, not by Hangfire, so every attempt is in the job's history.
/// </summary>
public sealed partial class JobRunner(
    JobStore store,
    JobHandlerRegistry handlers,
    JobEventPublisher publisher,
    IBackgroundJobClient hangfire,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner> logger)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid jobId, string queue, CancellationToken shutdown)
    {
        var job = await store.TryStartAsync(jobId, shutdown);
        if (job is null)
        {
            LogDuplicateDelivery(jobId);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = job.Id, ["CorrelationId"] = job.CorrelationId, ["Attempt"] = job.Attempt });
        await publisher.PublishAsync(job.Event);
        LogStarted(job.Id, job.Type, job.Attempt, job.MaxAttempts);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(job.TimeoutSeconds));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown, timeout.Token);
        await using var progress = new ProgressWriter(store, publisher, job, options.Value.ProgressWriteInterval, logger);
        try
        {
            if (!handlers.TryGet(job.Type, out var handler))
            {
                throw new JobFailedException("unknown_job_type", $"No handler for job type '{job.Type}' in this worker.", retryable: false);
            }

            var result = await handler.ExecuteAsync(job.Payload, new JobContext(job.Id, job.Attempt, job.MaxAttempts, progress, logger, cancellation.Token));
            await progress.FlushAsync();
            await RecordAsync(await store.SucceedAsync(job.Id, job.Attempt, result, CancellationToken.None));
            LogSucceeded(job.Id, job.Attempt);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !shutdown.IsCancellationRequested)
        {
            await progress.FlushAsync();
            await FailAsync(job, queue, new JobError("timeout", $"The attempt exceeded its timeout of {job.TimeoutSeconds} s.", Retryable: true, job.Attempt));
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await progress.FlushAsync();
            LogHandedBack(job.Id);
            await RetryAsync(job, queue, new JobError("worker_shutdown", "The worker stopped during the attempt; the job runs again.", Retryable: true, job.Attempt), TimeSpan.Zero);
        }
        catch (JobFailedException failure)
        {
            await progress.FlushAsync();
            await FailAsync(job, queue, new JobError(failure.ErrorType, failure.Message, failure.Retryable, job.Attempt));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await progress.FlushAsync();
            LogHandlerCrashed(job.Id, exception);
            await FailAsync(job, queue, new JobError("unhandled_exception", exception.Message, Retryable: true, job.Attempt));
        }
    }

    private async Task FailAsync(StartedJob job, string queue, JobError error)
    {
        if (error.Retryable && job.Attempt < job.MaxAttempts)
        {
            var delay = RetryBackoff.Delay(job.Attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared);
            await RetryAsync(job, queue, error, delay);
            return;
        }

        await RecordAsync(await store.FailAsync(job.Id, job.Attempt, error.ToJson(), CancellationToken.None));
        LogDeadLettered(job.Id, job.Attempt, error.Type, error.Message);
    }

    private async Task RetryAsync(StartedJob job, string queue, JobError error, TimeSpan delay)
    {
        var retrying = await store.ScheduleRetryAsync(job.Id, job.Attempt, error.ToJson(), delay, CancellationToken.None);
        if (retrying is null)
        {
            return;
        }

        await publisher.PublishAsync(retrying);
        var next = global::Hangfire.Common.Job.FromExpression<JobRunner>(runner => runner.RunAsync(job.Id, queue, CancellationToken.None), queue);
        hangfire.Create(next, delay <= TimeSpan.Zero ? new EnqueuedState(queue) : new ScheduledState(delay));
        LogRetryScheduled(job.Id, job.Attempt, error.Type, delay.TotalMilliseconds);
    }

    private async Task RecordAsync(JobEventMessage? outcome)
    {
        if (outcome is not null)
        {
            await publisher.PublishAsync(outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was delivered again but is not startable; ignoring the duplicate")]
    private partial void LogDuplicateDelivery(Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started job {JobId} of type {JobType}, attempt {Attempt} of {MaxAttempts}")]
    private partial void LogStarted(Guid jobId, string jobType, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} succeeded on attempt {Attempt}")]
    private partial void LogSucceeded(Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} of job {JobId} failed with {ErrorType}; retrying in {DelayMs:F0} ms")]
    private partial void LogRetryScheduled(Guid jobId, int attempt, string errorType, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed on attempt {Attempt} with {ErrorType}: {ErrorMessage}; dead-lettered")]
    private partial void LogDeadLettered(Guid jobId, int attempt, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handler of job {JobId} threw")]
    private partial void LogHandlerCrashed(Guid jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker is stopping; job {JobId} is handed back to run again")]
    private partial void LogHandedBack(Guid jobId);
}
