using AsyncJobs.Core.Postgres;
using AsyncJobs.Worker.Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Worker.Outbox;

/// <summary>
/// Hands committed jobs to Hangfire. The API only writes the job row (the outbox); this relay, woken by
/// the job store's NOTIFY after each commit that leaves a job to hand over (insert, manual retry, hand-back, rescue) and sweeping periodically for a missed one, enqueues a batch of jobs and marks them
/// handed over in one statement (one round trip and one commit per batch), so a crash neither loses nor doubles a hand-over; a job
/// Hangfire strands anyway is handed over again by the rescuer, and the runner's fencing makes a duplicate harmless.
/// Several workers relay side by side: SKIP LOCKED gives each its own rows.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IOptions<WorkerOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    // The whole hand-over in ONE statement, committed on its own (one round trip): the batch is claimed and marked
    // handed over with the id of its Hangfire job, and its Hangfire jobs are written in the order the jobs were accepted
    // (Hangfire's queues are first in, first out), or a crash leaves none of it. A job's queue is its priority's name
    // (HangfireQueues.For).
    private const string HandOverBatch = $"""
        WITH claimed AS MATERIALIZED (
            SELECT id, priority, created_at, trace_parent FROM jobs
            WHERE handed_over_at IS NULL AND state IN ('queued', 'retrying')
            ORDER BY created_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED),
        input AS MATERIALIZED (
            SELECT {HangfireBatchEnqueue.NewIds}, c.id, c.priority AS queue, c.trace_parent
            FROM (SELECT * FROM claimed ORDER BY created_at) c),
        handed_over AS (
            UPDATE jobs SET handed_over_at = now(), hangfire_job_id = input.job_id
            FROM input WHERE jobs.id = input.id),
        {HangfireBatchEnqueue.WriteInput}
        SELECT i.id, i.trace_parent FROM input i CROSS JOIN (SELECT count(*) FROM woken) w
        """;

    // Two batches at once: one is claimed while the other's statement runs or commits (SKIP LOCKED gives each its own rows).
    private const int ConcurrentBatches = 2;

    // Far above what a batch takes (milliseconds); a stuck batch rolls back and its rows are claimed again.
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUp = new ChannelWakeUp(dataSource, NotifyChannels.JobsOutbox, logger);
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
        var claimedAt = DateTimeOffset.UtcNow;
        var jobIds = new List<Guid>();
        var traceParents = new List<string?>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BatchTimeout);
        await using (var command = dataSource.CreateCommand(HandOverBatch))
        {
            command.Parameters.AddWithValue("limit", limit);
            HangfireBatchEnqueue.AddTemplates(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(timeout.Token);
            while (await reader.ReadAsync(timeout.Token))
            {
                jobIds.Add(reader.GetGuid(0));
                traceParents.Add(reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        }

        if (jobIds.Count == 0)
        {
            return 0;
        }

        // The statement has committed: the spans below describe a durable hand-over.
        HandOverSpans.Record(jobIds, traceParents, claimedAt);
        LogRelayed(jobIds.Count);
        return jobIds.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handed {Count} jobs to Hangfire")]
    private partial void LogRelayed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying after the sweep interval")]
    private partial void LogRelayFailed(Exception exception);
}
