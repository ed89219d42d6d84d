using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// Coalesces a handler's progress reports on two paths: a handler may report hundreds of times a second, but the
/// database sees at most one durable <c>job.progress</c> event per durable interval, and Redis pub/sub at most one
/// live report per live interval, always the latest: live frames fill the gaps between durable events.
/// </summary>
public sealed partial class ProgressWriter : IProgress<JobProgress>, IAsyncDisposable
{
    private readonly JobStore store;
    private readonly LiveProgressPublisher livePublisher;
    private readonly StartedJob job;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ProgressCoalescer<JobProgress> durable;
    private readonly ProgressCoalescer<TimedProgress> live;
    private int lastDurableSequence;

    public ProgressWriter(
        JobStore store, LiveProgressPublisher livePublisher, StartedJob job, TimeSpan durableInterval, TimeSpan liveInterval, TimeProvider time, ILogger logger)
    {
        this.store = store;
        this.livePublisher = livePublisher;
        this.job = job;
        this.time = time;
        this.logger = logger;
        lastDurableSequence = job.Event.Sequence;
        durable = new ProgressCoalescer<JobProgress>(WriteDurableAsync, durableInterval);
        live = new ProgressCoalescer<TimedProgress>(PublishLiveAsync, liveInterval);
    }

    /// <summary>
    /// A report the durable path writes at once needs no live twin; the ones it coalesces away go out live, each with
    /// the newest durable sequence known when it was made: no durable event with that sequence or an earlier one
    /// holds a newer report, so a notifier can tell which live frames are stale.
    /// </summary>
    public void Report(JobProgress value)
    {
        var afterSequence = Volatile.Read(ref lastDurableSequence);
        if (!durable.Report(value))
        {
            live.Report(new TimedProgress(value, afterSequence, time.GetUtcNow()));
        }
    }

    /// <summary>
    /// Stops live reports, then writes the last pending report durably, so the final progress lands before the
    /// job's outcome and no live report is published after it.
    /// </summary>
    public async Task FlushAsync()
    {
        await live.StopAsync();
        await durable.StopAsync();
        await durable.HandOnPendingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await live.DisposeAsync();
        await durable.DisposeAsync();
    }

    private async Task WriteDurableAsync(JobProgress progress)
    {
        try
        {
            if (await store.ReportProgressAsync(job.Id, job.Attempt, progress, CancellationToken.None) is { } written)
            {
                Volatile.Write(ref lastDurableSequence, written.Sequence);
            }
        }
        catch (Exception exception)
        {
            // Progress is advisory: a lost report must not fail the job.
            LogProgressWriteFailed(logger, job.Id, exception);
        }
    }

    private Task PublishLiveAsync(TimedProgress report)
    {
        livePublisher.Publish(LiveProgressMessage.Create(
            job.TenantId, job.Id, job.Attempt, report.AfterSequence, report.Progress, report.ReportedAt));
        return Task.CompletedTask;
    }

    private sealed record TimedProgress(JobProgress Progress, int AfterSequence, DateTimeOffset ReportedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record progress of job {JobId}")]
    private static partial void LogProgressWriteFailed(ILogger logger, Guid jobId, Exception exception);
}
