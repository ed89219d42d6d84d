using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// Coalesces a handler's progress reports: a handler may report hundreds of times a second, but the
/// database sees at most one write (and subscribers one event) per interval, always the latest report.
/// </summary>
public sealed partial class ProgressWriter(
    JobStore store,
    StartedJob job,
    TimeSpan interval,
    ILogger logger) : IProgress<JobProgress>, IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim reported = new(0);
    private readonly CancellationTokenSource stopping = new();
    private JobProgress? pending;
    private bool signalled;
    private Task? loop;

    public void Report(JobProgress value)
    {
        lock (gate)
        {
            pending = value;
            loop ??= Task.Run(WriteLoopAsync);
            if (signalled)
            {
                return;
            }

            signalled = true;
        }

        reported.Release();
    }

    /// <summary>Writes the last pending report, so the final progress lands before the job's outcome.</summary>
    public async Task FlushAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        await WritePendingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        stopping.Dispose();
        reported.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                await reported.WaitAsync(stopping.Token);
                // Never cancelled midway: a cancelled write may already have taken a job_events id and roll it back,
                // and the event relay waits at such a gap (GapTimeout) before it moves on.
                await WritePendingAsync();
                await Task.Delay(interval, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task WritePendingAsync()
    {
        JobProgress? progress;
        lock (gate)
        {
            progress = pending;
            pending = null;
            signalled = false;
        }

        if (progress is null)
        {
            return;
        }

        try
        {
            await store.ReportProgressAsync(job.Id, job.Attempt, progress, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // Progress is advisory: a lost report must not fail the job.
            LogProgressWriteFailed(logger, job.Id, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record progress of job {JobId}")]
    private static partial void LogProgressWriteFailed(ILogger logger, Guid jobId, Exception exception);
}
