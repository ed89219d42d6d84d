using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Postgres;
using AsyncJobs.Worker.Execution;
using AsyncJobs.Worker.Hangfire;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;
using System.Transactions;
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
    [FromKeyedServices(HangfireSetup.OutboxClientKey)] IBackgroundJobClient hangfire,
    IOptions<WorkerOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    // Claims and marks the batch in one statement; the scope's commit makes the mark and the Hangfire jobs durable together.
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
                if (await RelayBatchAsync(settings.OutboxBatchSize, stoppingToken) > 0)
                {
                    // More may have come meanwhile: look again at once, and let a waiting sibling look too.
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
        // created, then ONE commit makes all of it durable, or a crash leaves none of it. Hangfire's storage opens its
        // connections from the same data source, so inside the scope they are this very connection (no second one, no
        // distributed transaction), and this client's storage enlists in the scope instead of committing on its own.
        using var scope = new TransactionScope(
            TransactionScopeOption.Required,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = BatchTimeout },
            TransactionScopeAsyncFlowOption.Enabled);
        var claimedAt = DateTimeOffset.UtcNow;
        var batch = new List<(Guid Id, string Priority, DateTimeOffset CreatedAt, string? TraceParent)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var claim = new NpgsqlCommand(ClaimBatch, connection))
        {
            claim.Parameters.AddWithValue("limit", limit);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
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
        foreach (var (id, priority, _, _) in batch)
        {
            var queue = JobPriorityNames.TryParse(priority, out var parsed) ? HangfireQueues.For(parsed) : HangfireQueues.For(JobPriority.Normal);
            var run = global::Hangfire.Common.Job.FromExpression<JobRunner>(runner => runner.RunAsync(id, queue, CancellationToken.None), queue);
            hangfire.Create(run, new EnqueuedState(queue));
        }

        scope.Complete();
        scope.Dispose(); // commits: the spans below describe a durable hand-over
        HandOverSpans.Record(batch.Select(j => j.Id), [.. batch.Select(j => j.TraceParent)], claimedAt);
        LogRelayed(batch.Count);
        return batch.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handed {Count} jobs to Hangfire")]
    private partial void LogRelayed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying after the sweep interval")]
    private partial void LogRelayFailed(Exception exception);
}
