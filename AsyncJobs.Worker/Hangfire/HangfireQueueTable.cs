using System.Data;
using System.Globalization;
using AsyncJobs.Core.Postgres;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Hangfire's job queue on its own <c>jobqueue</c> table, replacing Hangfire.PostgreSql's for AsyncJobs' queues.
/// <list type="bullet">
/// <item>An idle worker thread waits on the process's single <see cref="NewJobListener"/>, and a notification wakes
/// one thread, not all of them. A thread that got a job wakes the next while more are queued, since one notification
/// may announce a batch.</item>
/// <item>No thread ever waits on a listener of its own, which is where Hangfire.PostgreSql's long polling strands a
/// dequeued job (TOOLCHAIN.md, its issue #410).</item>
/// <item>Queues are served in the order given (high, normal, low); Hangfire.PostgreSql orders them by name.</item>
/// <item>A fetch is one statement in its own transaction: one round trip where Hangfire.PostgreSql takes three.</item>
/// </list>
/// </summary>
public sealed class HangfireQueueTable(
    PostgreSqlStorage storage, PostgreSqlStorageOptions options, NpgsqlDataSource dataSource, ChannelWakeUp wakeUp, HangfireQueueVacuum vacuum) : IPersistentJobQueue
{
    public const string NewJobChannel = "new_job";

    private const string Schema = HangfireSetup.SchemaName;

    // The first fresh job of the first queue that has one; failing that, a job whose worker stopped renewing
    // fetchedat (Hangfire's sliding invisibility) for longer than the invisibility timeout. The inner ORDER BY
    // restates Hangfire's (fetchedat NULLS FIRST, queue, jobid) index, so each queue's oldest job is its first entry
    // even with a large backlog in another queue (ORDER BY jobid alone scans another index past that backlog).
    // "more" says whether another fresh job was there when the statement began; one committed since has notified.
    private const string FetchNext = $"""
        UPDATE {Schema}.jobqueue SET fetchedat = now()
        WHERE id = COALESCE(
            (SELECT fresh.id
             FROM unnest(@queues::text[]) WITH ORDINALITY AS served(queue, rank)
             CROSS JOIN LATERAL (
                 SELECT id FROM {Schema}.jobqueue
                 WHERE fetchedat IS NULL AND queue = served.queue
                 ORDER BY fetchedat NULLS FIRST, queue, jobid
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED) AS fresh
             ORDER BY served.rank
             LIMIT 1),
            (SELECT id FROM {Schema}.jobqueue
             WHERE queue = ANY (@queues::text[]) AND fetchedat < now() - @invisibility_timeout
             ORDER BY fetchedat, jobid
             LIMIT 1
             FOR UPDATE SKIP LOCKED))
        RETURNING id, jobid, queue, fetchedat, EXISTS (
            SELECT FROM {Schema}.jobqueue other
            WHERE other.fetchedat IS NULL AND other.queue = ANY (@queues::text[]) AND other.id <> jobqueue.id) AS more
        """;

    private const string EnqueueOne = $"""
        WITH queued AS (INSERT INTO {Schema}.jobqueue (jobid, queue) VALUES (@job_id, @queue))
        SELECT pg_notify('{NewJobChannel}', '')
        """;

    /// <summary>Serves <paramref name="queues"/> of <paramref name="storage"/> from a new queue woken by <paramref name="wakeUp"/>.</summary>
    public static void Install(
        PostgreSqlStorage storage, PostgreSqlStorageOptions options, NpgsqlDataSource dataSource, ChannelWakeUp wakeUp, HangfireQueueVacuum vacuum, IEnumerable<string> queues)
    {
        var queue = new HangfireQueueTable(storage, options, dataSource, wakeUp, vacuum);
        storage.QueueProviders.Add(new HangfireQueueTableProvider(storage, options, queue), queues);
    }

    public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryFetch(queues) is var (fetched, more))
            {
                vacuum.Fetched();
                if (more)
                {
                    // The notification that announced a batch woke this thread alone: hand the wake-up on.
                    wakeUp.Wake();
                }

                return fetched;
            }

            wakeUp.Wait(options.QueuePollInterval, cancellationToken);
        }
    }

    /// <summary>Called by Hangfire's own transactions (a retry falling due, a requeue from the dashboard).</summary>
    public void Enqueue(IDbConnection connection, string queue, string jobId)
    {
        using var command = new NpgsqlCommand(EnqueueOne, (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("job_id", long.Parse(jobId, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("queue", queue);
        command.ExecuteNonQuery();
    }

    private (PostgreSqlFetchedJob Job, bool More)? TryFetch(string[] queues)
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand(FetchNext, connection);
        command.Parameters.AddWithValue("queues", queues);
        command.Parameters.AddWithValue("invisibility_timeout", options.InvisibilityTimeout);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var jobId = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);
        return (new PostgreSqlFetchedJob(storage, reader.GetInt64(0), jobId, reader.GetString(2), reader.GetDateTime(3)), reader.GetBoolean(4));
    }
}
