using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace AsyncJobs.Core.Data;

/// <summary>
/// Leases and recovery: a running attempt owns its job while its worker renews <c>heartbeat_at</c>; a job whose
/// lease ran out, or that was handed to Hangfire and never started, is taken back by the rescuer. Every state
/// change here is, like the rest of the store, one guarded statement that appends the job's event.
/// </summary>
public sealed partial class JobStore
{
    // Only attempts that still own their job are renewed; the caller stops the handlers of the others.
    private const string HeartbeatMany = """
        UPDATE jobs AS j SET heartbeat_at = now()
        FROM unnest(@ids, @attempts) AS owned(id, attempt)
        WHERE j.id = owned.id AND j.state = 'running' AND j.attempt = owned.attempt
        RETURNING j.id, j.cancel_requested_at IS NOT NULL
        """;

    private const string CancelRequestedAmong = """
        SELECT id FROM jobs WHERE id = ANY(@ids) AND state = 'running' AND cancel_requested_at IS NOT NULL
        """;

    private const string LostAttempts = """
        SELECT id, attempt FROM jobs
        WHERE state = 'running' AND coalesce(heartbeat_at, updated_at) < now() - @lease_timeout
        ORDER BY heartbeat_at
        LIMIT @limit
        """;

    // A job handed to Hangfire that has not started in time: queued ones handed over more than the start timeout ago,
    // retrying ones that long after they were due.
    private const string NotStartedInTime = """
        handed_over_at IS NOT NULL AND state IN ('queued', 'retrying')
        AND ((state = 'queued' AND handed_over_at < now() - @start_timeout)
          OR (state = 'retrying' AND greatest(handed_over_at, next_attempt_at) < now() - @start_timeout))
        """;

    // Not a state change, so no event: the job stays queued (or retrying) and the relay hands it over again.
    // A job is in line while its Hangfire job is at or behind the first entry its queue has not fetched yet
    // (the line's head; a queue is served in jobid order); one ahead of it was fetched, or lost, and not started.
    // Through ix_jobs_handed_over this reads only the jobs ahead of each head, however long the line behind it; the
    // ORDER BY keeps the planner on that index. A job whose Hangfire job is unknown (null) is not known to be in line.
    // The candidates are locked, and checked again, by id.
    private const string ReleaseStranded = $"""
        WITH line AS MATERIALIZED (
            SELECT served.queue, coalesce(
                (SELECT q.jobid FROM "/*Schema*/".jobqueue q
                 WHERE q.fetchedat IS NULL AND q.queue = served.queue
                 ORDER BY q.fetchedat NULLS FIRST, q.queue, q.jobid
                 LIMIT 1),
                9223372036854775807) AS head
            FROM unnest(@queues::text[]) AS served(queue)),
        passed AS MATERIALIZED (
            SELECT candidate.id FROM line CROSS JOIN LATERAL (
                (SELECT id FROM jobs
                 WHERE priority = line.queue AND hangfire_job_id < line.head AND {NotStartedInTime}
                 ORDER BY hangfire_job_id
                 LIMIT @limit)
                UNION ALL
                (SELECT id FROM jobs
                 WHERE priority = line.queue AND hangfire_job_id IS NULL AND {NotStartedInTime}
                 LIMIT @limit)) AS candidate)
        UPDATE jobs SET handed_over_at = NULL
        WHERE id IN (
            SELECT id FROM jobs
            WHERE id IN (SELECT id FROM passed) AND {NotStartedInTime}
            ORDER BY created_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
          AND handed_over_at IS NOT NULL
        RETURNING id, state, correlation_id
        """;

    private const string RecordHandOver = """
        UPDATE jobs SET hangfire_job_id = @hangfire_job_id
        WHERE id = @id AND state = 'retrying' AND attempt = @attempt
        """;

    // The job's queue in Hangfire is its priority's name.
    private static readonly string[] HangfireQueues = [.. Enum.GetValues<JobPriority>().Select(p => p.ToName())];

    private const string LeaseExpired = "coalesce(heartbeat_at, updated_at) < now() - @lease_timeout";

    /// <summary>
    /// Renews the leases of every attempt this process runs, in one statement. Returns the jobs still owned,
    /// each with whether its cancellation was requested; an attempt missing from the answer lost its job.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, bool>> HeartbeatManyAsync(
        IReadOnlyList<(Guid JobId, int Attempt)> attempts, CancellationToken cancellationToken)
    {
        var owned = new Dictionary<Guid, bool>(attempts.Count);
        if (attempts.Count == 0)
        {
            return owned;
        }

        await using var command = dataSource.CreateCommand(HeartbeatMany);
        command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, attempts.Select(a => a.JobId).ToArray());
        command.Parameters.AddWithValue("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer, attempts.Select(a => a.Attempt).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owned[reader.GetGuid(0)] = reader.GetBoolean(1);
        }

        return owned;
    }

    /// <summary>Which of these running jobs have a cancel request: the database fallback of the Redis signal.</summary>
    public async Task<IReadOnlyList<Guid>> FindCancelRequestedAsync(IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(CancelRequestedAmong);
        command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, jobIds.ToArray());
        var requested = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requested.Add(reader.GetGuid(0));
        }

        return requested;
    }

    /// <summary>
    /// Gives a running attempt back because its worker is shutting down: the job waits to run again at once
    /// elsewhere (the outbox relays are woken). The attempt is not counted against maxAttempts, since
    /// the job did nothing wrong: <c>attempt</c> goes back one, so the next start reuses the number. That is safe as a
    /// fence because the caller is the attempt's only writer and stops writing before it calls this.
    /// </summary>
    public async Task<JobEventMessage?> HandBackAsync(Guid jobId, int attempt, string errorJson, CancellationToken cancellationToken)
    {
        var handedBack = await TransitionAsync(
            jobId,
            JobState.Retrying,
            "attempt = greatest(attempt - 1, 0), error = @error, heartbeat_at = NULL, handed_over_at = NULL, next_attempt_at = now()",
            RunningAttemptGuard(JobState.Retrying),
            attempt,
            cancellationToken,
            ("error", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = errorJson }));
        return HandOverAgain(handedBack)?.Event;
    }

    /// <summary>Running attempts whose lease ran out: their worker died (or stalls) and they are to be rescued.</summary>
    public async Task<IReadOnlyList<(Guid JobId, int Attempt)>> FindLostAttemptsAsync(TimeSpan leaseTimeout, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LostAttempts);
        command.Parameters.AddWithValue("lease_timeout", leaseTimeout);
        command.Parameters.AddWithValue("limit", limit);
        var lost = new List<(Guid, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lost.Add((reader.GetGuid(0), reader.GetInt32(1)));
        }

        return lost;
    }

    /// <summary>
    /// Ends an attempt whose lease ran out: the job waits to run again at once (the outbox relays are
    /// woken) or, with no attempts left, is dead-lettered (the event's type says which). Each outcome is one
    /// statement guarded by the attempt and the stale lease, so concurrent rescuers, or a worker that comes back
    /// to life, change it at most once.
    /// </summary>
    public async Task<StartedJob?> RescueLostAttemptAsync(Guid jobId, int attempt, string errorJson, TimeSpan leaseTimeout, CancellationToken cancellationToken)
    {
        var retrying = await TransitionAsync(
            jobId,
            JobState.Retrying,
            "error = @error, heartbeat_at = NULL, handed_over_at = NULL, next_attempt_at = now()",
            RunningAttemptGuard(JobState.Retrying) + $" AND {LeaseExpired} AND attempt < max_attempts",
            attempt,
            cancellationToken,
            ("error", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = errorJson }),
            ("lease_timeout", leaseTimeout));
        return HandOverAgain(retrying) ?? await TransitionAsync(
            jobId,
            JobState.Failed,
            "error = @error, heartbeat_at = NULL, finished_at = now()",
            RunningAttemptGuard(JobState.Failed) + $" AND {LeaseExpired} AND attempt >= max_attempts",
            attempt,
            cancellationToken,
            ("error", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = errorJson }),
            ("lease_timeout", leaseTimeout));
    }

    /// <summary>
    /// Hands over again the jobs given to Hangfire that never started: queued ones handed over more than
    /// <paramref name="startTimeout"/> ago, and retrying ones that many past their due time. Returns each job with its state.
    /// A job still waiting unfetched in the Hangfire queue of <paramref name="hangfireSchema"/> is in line, not stranded,
    /// however long the line: only one that Hangfire passed (fetched and never ran, or lost) is handed over again, and
    /// one lost behind the line's head is found once the head passes it.
    /// </summary>
    public async Task<IReadOnlyList<(Guid JobId, string State, string? CorrelationId)>> ReleaseStrandedAsync(
        TimeSpan startTimeout, int limit, string hangfireSchema, CancellationToken cancellationToken)
    {
        var sql = ReleaseStranded.Replace("/*Schema*/", hangfireSchema.Replace("\"", "\"\"", StringComparison.Ordinal), StringComparison.Ordinal);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("queues", HangfireQueues);
        command.Parameters.AddWithValue("start_timeout", startTimeout);
        command.Parameters.AddWithValue("limit", limit);
        var released = new List<(Guid, string, string?)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                released.Add((reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        // After the reader is closed: only then has the statement's transaction committed.
        if (released.Count > 0)
        {
            wakeUps.Notify(NotifyChannels.JobsOutbox);
        }

        return released;
    }

    /// <summary>
    /// Records the Hangfire job a retry was scheduled as (<see cref="ScheduleRetryAsync"/>), so the rescuer knows
    /// where it waits in line; nothing if the attempt has moved on since.
    /// </summary>
    public async Task RecordRetryHandOverAsync(Guid jobId, int attempt, long hangfireJobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RecordHandOver);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("attempt", attempt);
        command.Parameters.AddWithValue("hangfire_job_id", hangfireJobId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
