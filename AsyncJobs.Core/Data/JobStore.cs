using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace AsyncJobs.Core.Data;

/// <summary>
/// Every change of a job after it is accepted, each as ONE guarded statement that also appends the job's
/// event: a statement whose guard no longer holds (a newer state, another attempt) changes nothing and
/// returns null, so a stale or duplicate writer can never overwrite a newer state. Each statement commits on its own,
/// and only then are the relays woken (<see cref="PostCommitNotifier"/>).
/// </summary>
public sealed partial class JobStore(NpgsqlDataSource dataSource, PostCommitNotifier wakeUps)
{
    // The snapshot every event carries; it is the SSE `data:` document.
    private const string EventData = """
        jsonb_build_object(
            'jobId', j.id, 'sequence', j.last_sequence, 'type', @event_type, 'status', j.state, 'attempt', j.attempt,
            'progress', jsonb_build_object('percent', j.progress_percent, 'message', j.progress_message, 'step', j.progress_step),
            'result', j.result, 'error', j.error, 'occurredAt', j.updated_at)
        """;

    // The event every change appends, from the job rows `j` the change wrote.
    private const string InsertEvents = $"""
        INSERT INTO job_events (job_id, tenant_id, sequence, type, data, created_at)
        SELECT j.id, j.tenant_id, j.last_sequence, @event_type, {EventData}, j.updated_at FROM j
        """;

    private const string AppendEventColumns = $"""
        , e AS ({InsertEvents}
            RETURNING id, tenant_id, job_id, sequence, type, data)
        SELECT e.id, e.tenant_id, e.job_id, e.sequence, e.type, e.data::text,
               j.type, j.payload::text, j.attempt, j.max_attempts, j.timeout_seconds, j.correlation_id, j.trace_parent
        """;

    // Pickup latency: from when the claimed attempt became due (queued since its last transition, or the retry's due
    // time) to the claim, on the database's clock. The main query reads the row as it was before the statement's
    // update (one snapshot for the whole statement).
    private const string PickupLatencyOfStart = ", (SELECT now() - coalesce(o.next_attempt_at, o.updated_at) FROM jobs o WHERE o.id = j.id)";

    // Every submission of a group commit in ONE statement: the idempotency records, the job rows and their first
    // events commit together or not at all. A submission whose key is already held (and not expired) inserts
    // nothing: the caller then replays or rejects against the stored record. One multi-row statement costs
    // PostgreSQL a fraction of one statement per row (executor start-up, round trip).
    private const string InsertJobs = $"""
        WITH s AS (
            SELECT * FROM unnest(@id, @tenant_id, @type, @payload, @priority, @max_attempts, @timeout_seconds, @correlation_id,
                                 @trace_parent, @callback_url, @metadata, @job_token_hash, @created_at,
                                 @idempotency_key, @request_hash, @response, @expires_at)
                AS s(id, tenant_id, type, payload, priority, max_attempts, timeout_seconds, correlation_id,
                     trace_parent, callback_url, metadata, job_token_hash, created_at,
                     idempotency_key, request_hash, response, expires_at)),
        k AS (
            INSERT INTO idempotency_keys (tenant_id, key, request_hash, job_id, response, created_at, expires_at)
            SELECT s.tenant_id, s.idempotency_key, s.request_hash, s.id, s.response::jsonb, s.created_at, s.expires_at
            FROM s WHERE s.idempotency_key IS NOT NULL
            ON CONFLICT (tenant_id, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, job_id = EXCLUDED.job_id, response = EXCLUDED.response,
                    created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
                WHERE idempotency_keys.expires_at < now()
            RETURNING job_id),
        j AS (
            INSERT INTO jobs (id, tenant_id, type, payload, state, priority, attempt, max_attempts, timeout_seconds,
                              progress_percent, correlation_id, trace_parent, callback_url, metadata, job_token_hash, last_sequence,
                              created_at, updated_at)
            SELECT s.id, s.tenant_id, s.type, s.payload::jsonb, 'queued', s.priority, 0, s.max_attempts, s.timeout_seconds,
                   0, s.correlation_id, s.trace_parent, s.callback_url, s.metadata::jsonb, s.job_token_hash, 1, s.created_at, s.created_at
            FROM s WHERE s.idempotency_key IS NULL OR s.id IN (SELECT job_id FROM k)
            RETURNING *),
        e AS ({InsertEvents})
        SELECT j.id FROM j
        """;

    private const string FindIdempotencyRecord = """
        SELECT request_hash, response::text FROM idempotency_keys
        WHERE tenant_id = @tenant_id AND key = @key AND expires_at >= now()
        """;

    /// <summary>
    /// Writes several submissions in ONE statement (one round trip, one commit): group commit. Each is written as a
    /// queued job with its first event (the outbox relay and the event relays are woken once it committed); the answer for each is whether it
    /// was written: false where its idempotency key was already held, by an earlier request or by an earlier
    /// submission of the same batch. Only the ids come back: the events reach readers through the event relay.
    /// </summary>
    public async Task<IReadOnlyList<bool>> InsertManyAsync(IReadOnlyList<(NewJob Job, IdempotencyClaim? Idempotency)> submissions, CancellationToken cancellationToken)
    {
        // One statement cannot claim the same key twice (ON CONFLICT DO UPDATE affects a row once): the first claim
        // of the batch goes in, a later one finds the key held, as it would one commit later.
        var claimed = new HashSet<(Guid TenantId, string Key)>();
        var written = submissions.Where(s => s.Idempotency is null || claimed.Add((s.Job.TenantId, s.Idempotency.Key))).ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(InsertJobs, connection);
        var parameters = command.Parameters;
        AddArray(parameters, "id", written.Select(s => s.Job.Id));
        AddArray(parameters, "tenant_id", written.Select(s => s.Job.TenantId));
        AddArray(parameters, "type", written.Select(s => s.Job.Type));
        AddArray(parameters, "payload", written.Select(s => s.Job.Payload));
        AddArray(parameters, "priority", written.Select(s => s.Job.Priority.ToName()));
        AddArray(parameters, "max_attempts", written.Select(s => s.Job.MaxAttempts));
        AddArray(parameters, "timeout_seconds", written.Select(s => s.Job.TimeoutSeconds));
        AddArray(parameters, "correlation_id", written.Select(s => s.Job.CorrelationId), NpgsqlDbType.Text);
        AddArray(parameters, "trace_parent", written.Select(s => s.Job.TraceParent), NpgsqlDbType.Text);
        AddArray(parameters, "callback_url", written.Select(s => s.Job.CallbackUrl), NpgsqlDbType.Text);
        AddArray(parameters, "metadata", written.Select(s => s.Job.Metadata), NpgsqlDbType.Text);
        AddArray(parameters, "job_token_hash", written.Select(s => s.Job.JobTokenHash), NpgsqlDbType.Bytea);
        AddArray(parameters, "created_at", written.Select(s => s.Job.CreatedAt), NpgsqlDbType.TimestampTz);
        AddArray(parameters, "idempotency_key", written.Select(s => s.Idempotency?.Key), NpgsqlDbType.Text);
        AddArray(parameters, "request_hash", written.Select(s => s.Idempotency?.RequestHash), NpgsqlDbType.Bytea);
        AddArray(parameters, "response", written.Select(s => s.Idempotency?.Response), NpgsqlDbType.Text);
        // Read only where there is a key.
        AddArray(parameters, "expires_at", written.Select(s => s.Idempotency?.ExpiresAt ?? s.Job.CreatedAt), NpgsqlDbType.TimestampTz);
        parameters.AddWithValue("event_type", JobEventTypes.Queued);

        // Prepared once per physical connection: parsed and planned once, not once per batch.
        await command.PrepareAsync(cancellationToken);
        var inserted = new HashSet<Guid>(written.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetGuid(0));
            }
        }

        if (inserted.Count > 0)
        {
            wakeUps.Notify(NotifyChannels.JobsOutbox);
            wakeUps.Notify(NotifyChannels.JobEvents);
        }

        return [.. submissions.Select(s => inserted.Contains(s.Job.Id))];
    }

    private static void AddArray<T>(NpgsqlParameterCollection parameters, string name, IEnumerable<T> values, NpgsqlDbType? elementType = null)
    {
        var parameter = new NpgsqlParameter<T[]>(name, [.. values]);
        if (elementType is { } type)
        {
            parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
        }

        parameters.Add(parameter);
    }

    /// <summary>The request hash and stored answer of a live idempotency key, if the tenant holds one.</summary>
    public async Task<(byte[] RequestHash, string Response)?> FindIdempotencyRecordAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FindIdempotencyRecord);
        command.Parameters.AddWithValue("tenant_id", tenantId);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetFieldValue<byte[]>(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// Claims the job for its next attempt. Null when the job is not startable (already running, finished,
    /// cancelled, or a retry whose backoff has not ended): the delivery was early or a duplicate and must do nothing
    /// now (see <see cref="RetryDueInAsync"/>).
    /// </summary>
    public async Task<StartedJob?> TryStartAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var sql = TransitionSql(
            $"state = '{JobState.Running.ToName()}', attempt = attempt + 1, started_at = coalesce(started_at, now()), heartbeat_at = now(), " +
            "next_attempt_at = NULL, progress_percent = 0, progress_message = NULL, progress_step = NULL",
            $"state IN ({StatesLeadingTo(JobState.Running)}) AND cancel_requested_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())",
            PickupLatencyOfStart);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("event_type", JobEventTypes.ForState(JobState.Running));
        return await ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>How long until a retrying job's backoff ends; null when it is not a retry waiting for its time.</summary>
    public async Task<TimeSpan?> RetryDueInAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT next_attempt_at - now() FROM jobs WHERE id = @id AND state = 'retrying' AND next_attempt_at > now()");
        command.Parameters.AddWithValue("id", jobId);
        return await command.ExecuteScalarAsync(cancellationToken) is TimeSpan dueIn ? dueIn : null;
    }

    public async Task<JobEventMessage?> ReportProgressAsync(Guid jobId, int attempt, JobProgress progress, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            eventType: JobEventTypes.Progress,
            set: "progress_percent = @percent, progress_message = @message, progress_step = @step",
            guard: "state = 'running' AND attempt = @attempt",
            attempt,
            cancellationToken,
            ("percent", progress.Percent),
            ("message", (object?)progress.Message ?? DBNull.Value),
            ("step", (object?)progress.Step ?? DBNull.Value));
        return started?.Event;
    }

    public async Task<JobEventMessage?> SucceedAsync(Guid jobId, int attempt, string resultJson, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            JobState.Succeeded,
            "result = @result, error = NULL, progress_percent = 100, finished_at = now(), heartbeat_at = NULL",
            RunningAttemptGuard(JobState.Succeeded),
            attempt,
            cancellationToken,
            ("result", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = resultJson }));
        return started?.Event;
    }

    public async Task<JobEventMessage?> FailAsync(Guid jobId, int attempt, string errorJson, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            JobState.Failed,
            "error = @error, finished_at = now(), heartbeat_at = NULL",
            RunningAttemptGuard(JobState.Failed),
            attempt,
            cancellationToken,
            ("error", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = errorJson }));
        return started?.Event;
    }

    /// <summary>Ends a failed attempt that will run again after <paramref name="delay"/> (Hangfire schedules it).</summary>
    public async Task<JobEventMessage?> ScheduleRetryAsync(Guid jobId, int attempt, string errorJson, TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            JobState.Retrying,
            "error = @error, heartbeat_at = NULL, handed_over_at = now(), next_attempt_at = now() + @delay",
            RunningAttemptGuard(JobState.Retrying),
            attempt,
            cancellationToken,
            ("error", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = errorJson }),
            ("delay", delay));
        return started?.Event;
    }

    /// <summary>Cancels a job that has not started its attempt yet (queued or waiting to retry).</summary>
    public async Task<JobEventMessage?> CancelBeforeStartAsync(Guid jobId, Guid tenantId, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            JobState.Cancelled,
            "cancel_requested_at = now(), finished_at = now(), next_attempt_at = NULL",
            $"tenant_id = @tenant_id AND state IN ({StatesLeadingTo(JobState.Cancelled, except: JobState.Running)})",
            attempt: null,
            cancellationToken,
            ("tenant_id", tenantId));
        return started?.Event;
    }

    /// <summary>
    /// Flags a running job for cancellation; the worker running it sees the flag (or a Redis signal) and stops the
    /// handler. The flag is durable, so a worker that missed the signal still finds it. Returns the job's event
    /// sequence at that moment, or null when the job is not running.
    /// </summary>
    public async Task<int?> RequestCancelAsync(Guid jobId, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE id = @id AND tenant_id = @tenant_id AND state = 'running' RETURNING last_sequence");
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("tenant_id", tenantId);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    /// <summary>Records that a running attempt stopped because cancellation was requested.</summary>
    public async Task<JobEventMessage?> CancelRunningAsync(Guid jobId, int attempt, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            JobState.Cancelled,
            "finished_at = now(), heartbeat_at = NULL",
            RunningAttemptGuard(JobState.Cancelled) + " AND cancel_requested_at IS NOT NULL",
            attempt,
            cancellationToken);
        return started?.Event;
    }

    /// <summary>Queues a dead-lettered job again with a fresh set of attempts; its history keeps every earlier error.</summary>
    public async Task<JobEventMessage?> RequeueFailedAsync(Guid jobId, Guid tenantId, CancellationToken cancellationToken)
    {
        var started = await TransitionAsync(
            jobId,
            JobState.Queued,
            "attempt = 0, error = NULL, result = NULL, finished_at = NULL, handed_over_at = NULL, cancel_requested_at = NULL, " +
            "progress_percent = 0, progress_message = NULL, progress_step = NULL",
            $"tenant_id = @tenant_id AND state IN ({StatesLeadingTo(JobState.Queued)})",
            attempt: null,
            cancellationToken,
            ("tenant_id", tenantId));
        return HandOverAgain(started)?.Event;
    }

    /// <summary>
    /// Renews the lease of a running attempt. False when the attempt no longer owns the job (it was rescued
    /// and handed to another worker, or finished): the caller must stop its handler. Also reports a pending cancel.
    /// </summary>
    public async Task<(bool OwnsJob, bool CancelRequested)> HeartbeatAsync(Guid jobId, int attempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE jobs SET heartbeat_at = now() WHERE id = @id AND state = 'running' AND attempt = @attempt RETURNING cancel_requested_at IS NOT NULL");
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("attempt", attempt);
        return await command.ExecuteScalarAsync(cancellationToken) is bool cancelRequested ? (true, cancelRequested) : (false, false);
    }

    private static string RunningAttemptGuard(JobState to)
    {
        JobStateMachine.EnsureTransition(JobState.Running, to);
        return "state = 'running' AND attempt = @attempt";
    }

    private static string StatesLeadingTo(JobState to, JobState? except = null) =>
        string.Join(", ", JobStateMachine.StatesLeadingTo(to).Where(s => s != except).Select(s => $"'{s.ToName()}'"));

    private Task<StartedJob?> TransitionAsync(
        Guid jobId, JobState to, string set, string guard, int? attempt, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        TransitionAsync(
            jobId,
            JobEventTypes.ForState(to),
            $"state = '{to.ToName()}', {set}",
            guard,
            attempt,
            cancellationToken,
            parameters);

    private async Task<StartedJob?> TransitionAsync(
        Guid jobId, string eventType, string set, string guard, int? attempt, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(TransitionSql(set, guard));
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("event_type", eventType);
        if (attempt is { } value)
        {
            command.Parameters.AddWithValue("attempt", value);
        }

        foreach (var (name, parameterValue) in parameters)
        {
            if (parameterValue is NpgsqlParameter parameter)
            {
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            else
            {
                command.Parameters.AddWithValue(name, parameterValue);
            }
        }

        return await ReadSingleAsync(command, cancellationToken);
    }

    private static string TransitionSql(string set, string guard, string extraColumns = "") => $"""
        WITH j AS (
            UPDATE jobs SET {set}, last_sequence = last_sequence + 1, updated_at = now()
            WHERE id = @id AND {guard}
            RETURNING *)
        {AppendEventColumns}{extraColumns}
        FROM e CROSS JOIN j
        """;

    // Every statement read here appended an event when it returns a row. The wake-up goes out after the reader is
    // closed: only then has the statement's transaction committed.
    private async Task<StartedJob?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        StartedJob? changed;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            changed = await reader.ReadAsync(cancellationToken) ? ReadStarted(reader) : null;
        }

        if (changed is not null)
        {
            wakeUps.Notify(NotifyChannels.JobEvents);
        }

        return changed;
    }

    /// <summary>Wakes the outbox relays for a change that left its job waiting to be handed over (handed_over_at = NULL).</summary>
    private StartedJob? HandOverAgain(StartedJob? changed)
    {
        if (changed is not null)
        {
            wakeUps.Notify(NotifyChannels.JobsOutbox);
        }

        return changed;
    }

    private static StartedJob ReadStarted(NpgsqlDataReader reader)
    {
        var jobEvent = new JobEventMessage(
            EventId: reader.GetInt64(0),
            TenantId: reader.GetGuid(1),
            JobId: reader.GetGuid(2),
            Sequence: reader.GetInt32(3),
            Type: reader.GetString(4),
            Data: reader.GetString(5));
        return new StartedJob(
            jobEvent.JobId,
            jobEvent.TenantId,
            Type: reader.GetString(6),
            Payload: reader.GetString(7),
            Attempt: reader.GetInt32(8),
            MaxAttempts: reader.GetInt32(9),
            TimeoutSeconds: reader.GetInt32(10),
            CorrelationId: reader.IsDBNull(11) ? null : reader.GetString(11),
            TraceParent: reader.IsDBNull(12) ? null : reader.GetString(12),
            jobEvent,
            PickupLatency: reader.FieldCount > 13 && !reader.IsDBNull(13) ? reader.GetFieldValue<TimeSpan>(13) : null);
    }
}
