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
    private const string ClaimBatch = """
        SELECT id, priority FROM jobs
        WHERE handed_over_at IS NULL AND state IN ('queued', 'retrying')
        ORDER BY created_at
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    /// <summary>NOTIFY'd by the jobs trigger when a job needs handing over (insert, manual retry, rescue).</summary>
    private const string OutboxChannel = "jobs_outbox";

    // Far above what a batch takes (a few ms per job); a stuck batch rolls back and its rows are claimed again.
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(30);

    private const string MarkHandedOver = "UPDATE jobs SET handed_over_at = now() WHERE id = ANY(@ids)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUp = new ChannelWakeUp(dataSource, OutboxChannel, logger);
        var listening = wakeUp.ListenAsync(stoppingToken);
        await RelayUntilStoppedAsync(wakeUp, stoppingToken);
        await listening;
    }

    private async Task RelayUntilStoppedAsync(ChannelWakeUp wakeUp, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var relayed = await RelayBatchAsync(settings.OutboxBatchSize, stoppingToken);
                if (relayed == settings.OutboxBatchSize)
                {
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
        var batch = new List<(Guid Id, string Priority)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var claim = new NpgsqlCommand(ClaimBatch, connection))
            {
                claim.Parameters.AddWithValue("limit", limit);
                await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetGuid(0), reader.GetString(1)));
                }
            }

            if (batch.Count == 0)
            {
                return 0;
            }

            await using var mark = new NpgsqlCommand(MarkHandedOver, connection);
            mark.Parameters.AddWithValue("ids", batch.Select(j => j.Id).ToArray());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (id, priority) in batch)
        {
            var queue = JobPriorityNames.TryParse(priority, out var parsed) ? HangfireQueues.For(parsed) : HangfireQueues.For(JobPriority.Normal);
            var run = global::Hangfire.Common.Job.FromExpression<JobRunner>(runner => runner.RunAsync(id, queue, CancellationToken.None), queue);
            hangfire.Create(run, new EnqueuedState(queue));
        }

        scope.Complete();
        LogRelayed(batch.Count);
        return batch.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handed {Count} jobs to Hangfire")]
    private partial void LogRelayed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying after the sweep interval")]
    private partial void LogRelayFailed(Exception exception);
}
