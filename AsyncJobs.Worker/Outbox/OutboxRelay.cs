using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Postgres;
using AsyncJobs.Worker.Execution;
using AsyncJobs.Worker.Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Worker.Outbox;

/// <summary>
/// Hands committed jobs to Hangfire. The API only writes the job row (the outbox); this relay, woken by
/// the insert trigger's NOTIFY and sweeping periodically for a missed one, enqueues a batch of jobs and marks them
/// handed over in one transaction (one commit per batch), so a crash neither loses nor doubles a hand-over; a job
/// Hangfire strands anyway is handed over again by the rescuer, and the runner's fencing makes a duplicate harmless.
/// Several workers relay side by side: SKIP LOCKED gives each its own rows.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IOptions<WorkerOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    // Claims and marks the batch in one statement; the batch's commit makes the mark and the Hangfire jobs durable together.
    private const string ClaimBatch = """
        UPDATE jobs SET handed_over_at = now()
        WHERE id IN (
            SELECT id FROM jobs
            WHERE handed_over_at IS NULL AND state IN ('queued', 'retrying')
            ORDER BY created_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        RETURNING id, priority, created_at, trace_parent
        """;

    /// <summary>NOTIFY'd by the jobs trigger when a job needs handing over (insert, manual retry, rescue).</summary>
    private const string OutboxChannel = "jobs_outbox";

    // A batch costs Hangfire several round trips per job on one connection: two batches at once hide each other's
    // waits (SKIP LOCKED gives each its own rows).
    private const int ConcurrentBatches = 2;

    // Far above what a batch takes (a few ms per job); a stuck batch rolls back and its rows are claimed again.
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUp = new ChannelWakeUp(dataSource, OutboxChannel, logger);
        var listening = wakeUp.ListenAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, ConcurrentBatches).Select(_ => RelayUntilStoppedAsync(wakeUp, stoppingToken)));
        await listening;
    }

    private async Task RelayUntilStoppedAsync(ChannelWakeUp wakeUp, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RelayBatchAsync(settings.OutboxBatchSize, stoppingToken) == settings.OutboxBatchSize)
                {
                    // A full batch: more are likely waiting. Look again at once, and let a waiting sibling look too.
                    // Jobs committed during a smaller batch have notified, so the wait below returns at once for them.
                    wakeUp.Wake();
                    continue;
                }

                await wakeUp.WaitAsync(settings.OutboxSweepInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(exception);
                await Task.Delay(settings.OutboxSweepInterval, stoppingToken);
            }
        }
    }

    public async Task<int> RelayBatchAsync(int limit, CancellationToken cancellationToken)
    {
        // One transaction for the whole batch: the rows are claimed and marked handed over, and every Hangfire job is
        // written in the same database, then ONE commit makes all of it durable, or a crash leaves none of it.
        var claimedAt = DateTimeOffset.UtcNow;
        var batch = new List<(Guid Id, string Priority, DateTimeOffset CreatedAt, string? TraceParent)>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BatchTimeout);
        await using (var claim = new NpgsqlCommand(ClaimBatch, connection, transaction))
        {
            claim.Parameters.AddWithValue("limit", limit);
            await using var reader = await claim.ExecuteReaderAsync(timeout.Token);
            while (await reader.ReadAsync(timeout.Token))
            {
                batch.Add((reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        // Hangfire's queues are first in, first out: hand over in the order the jobs were accepted.
        batch.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        var handOver = batch
            .Select(j => (j.Id, JobPriorityNames.TryParse(j.Priority, out var parsed) ? HangfireQueues.For(parsed) : HangfireQueues.For(JobPriority.Normal)))
            .ToList();
        await HangfireBatchEnqueue.EnqueueAsync(connection, transaction, handOver, timeout.Token);
        await transaction.CommitAsync(timeout.Token);

        // The commit is done: the spans below describe a durable hand-over.
        HandOverSpans.Record(batch.Select(j => j.Id), [.. batch.Select(j => j.TraceParent)], claimedAt);
        LogRelayed(batch.Count);
        return batch.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handed {Count} jobs to Hangfire")]
    private partial void LogRelayed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying after the sweep interval")]
    private partial void LogRelayFailed(Exception exception);
}
