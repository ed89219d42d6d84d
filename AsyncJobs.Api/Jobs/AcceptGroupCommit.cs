using System.Threading.Channels;
using AsyncJobs.Core.Data;

namespace AsyncJobs.Api.Jobs;

/// <summary>
/// Group commit for accepts: concurrent submissions wait in a queue and are written together, in ONE
/// transaction per flush, so the accept rate is bounded by commits per second times the batch size rather
/// than by one fsync per job. Each request still answers only after its own row is durable.
/// </summary>
public sealed partial class AcceptGroupCommit(JobStore store, SubmissionOptions options, ILogger<AcceptGroupCommit> logger) : BackgroundService
{
    private sealed record Pending(NewJob Job, IdempotencyClaim? Idempotency, TaskCompletionSource<bool> Written);

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>True once the job is committed; false when its idempotency key was already held.</summary>
    public async Task<bool> WriteAsync(NewJob job, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        var pending = new Pending(job, idempotency, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, cancellationToken);
        // Not cancelled with the request: once queued, the row may be committed, and the caller must not think otherwise.
        return await pending.Written.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.GroupCommitFlushers).Select(_ => FlushLoopAsync(stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let what is queued commit before the host stops.
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task FlushLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.GroupCommitMaxBatch);
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.GroupCommitMaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            // Every flusher wakes for the same submission; those that find nothing left must not write an empty batch.
            if (batch.Count > 0)
            {
                await FlushAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
    }

    private async Task FlushAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            var written = await store.InsertManyAsync(batch.Select(p => (p.Job, p.Idempotency)).ToList(), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Written.TrySetResult(written[i]);
            }

            LogFlushed(batch.Count);
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            // One bad row fails its whole batch: write each alone so only that one fails.
            LogBatchFailed(batch.Count, exception);
            foreach (var pending in batch)
            {
                await FlushAsync([pending], stoppingToken);
            }
        }
        catch (Exception exception)
        {
            batch[0].Written.TrySetException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Count} accepted jobs in one transaction")]
    private partial void LogFlushed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} jobs failed; writing them one by one")]
    private partial void LogBatchFailed(int count, Exception exception);
}
