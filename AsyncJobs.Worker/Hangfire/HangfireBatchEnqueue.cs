using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Enqueues a batch of <see cref="JobRunnerInvocation"/> jobs in Hangfire with ONE statement.
/// <c>BackgroundJobClient.Create(job, new EnqueuedState(queue))</c> costs Hangfire.PostgreSql several round trips
/// and a commit per job; this writes the very same rows for the whole batch at once: the job with its Enqueued state,
/// the queue entry, and one NOTIFY on the channel <see cref="NewJobListener"/> listens to (no job parameter:
/// <see cref="HangfireSetup.WithoutCultureCapture"/>). The documents come from Hangfire's own serializers, written once
/// for a placeholder job and queue that the statement replaces; an integration test (HangfireBatchEnqueueTests)
/// holds the rows to those Hangfire's client writes.
/// </summary>
public static class HangfireBatchEnqueue
{
    private const string Schema = HangfireSetup.SchemaName;

    // Neither can occur in a document for a real job: the id is no version 7 uuid, the names are no queue's.
    private static readonly Guid JobPlaceholder = new("00000000-0000-4000-8000-00000000a5c1");
    private const string QueuePlaceholder = "asyncjobs_queue_placeholder";
    private const string EnqueuedAtPlaceholder = "asyncjobs_enqueued_at_placeholder";

    /// <summary>
    /// The rows for every entry of a CTE named <c>input(job_id, state_id, id, queue)</c> (Hangfire's new job and
    /// state ids, AsyncJobs' job id, the queue), queued in the CTE's order, then one NOTIFY if there was any. The
    /// statement names a CTE <c>woken</c> that its final query must read for the NOTIFY to happen.
    /// </summary>
    public const string WriteInput = $"""
        job AS (
            INSERT INTO {Schema}.job (id, stateid, statename, invocationdata, arguments, createdat, expireat)
            SELECT job_id, state_id, @state_name,
                   replace(replace(@invocation_template, @job_placeholder, id::text), @queue_placeholder, queue)::jsonb,
                   replace(replace(@arguments_template, @job_placeholder, id::text), @queue_placeholder, queue)::jsonb,
                   now(), NULL
            FROM input),
        state AS (
            INSERT INTO {Schema}.state (id, jobid, name, reason, createdat, data)
            SELECT state_id, job_id, @state_name, NULL, now(),
                   replace(replace(@state_template, @enqueued_at_placeholder, (extract(epoch FROM now()) * 1000)::bigint::text),
                           @queue_placeholder, queue)::jsonb
            FROM input),
        queued AS (
            INSERT INTO {Schema}.jobqueue (jobid, queue)
            SELECT job_id, queue FROM input),
        woken AS (
            SELECT pg_notify('{HangfireQueueTable.NewJobChannel}', '') FROM input LIMIT 1)
        """;

    /// <summary>The Hangfire ids of a new job and its state, drawn in the order of the rows they are drawn for.</summary>
    public const string NewIds = $"nextval('{Schema}.job_id_seq') AS job_id, nextval('{Schema}.state_id_seq') AS state_id";

    private const string EnqueueBatch = $"""
        WITH input AS MATERIALIZED (
            SELECT {NewIds}, i.id, i.queue
            FROM (SELECT * FROM unnest(@ids, @queues) WITH ORDINALITY AS i(id, queue, position) ORDER BY position) i),
        {WriteInput}
        SELECT count(*) FROM woken
        """;

    /// <summary>Enqueues one job per (AsyncJobs job id, Hangfire queue), in the given order, within <paramref name="transaction"/>.</summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid JobId, string Queue)> jobs, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EnqueueBatch, connection, transaction);
        command.Parameters.AddWithValue("ids", jobs.Select(j => j.JobId).ToArray());
        command.Parameters.AddWithValue("queues", jobs.Select(j => j.Queue).ToArray());
        AddTemplates(command.Parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The parameters <see cref="WriteInput"/> reads.</summary>
    public static void AddTemplates(NpgsqlParameterCollection parameters)
    {
        // Written per batch with Hangfire's serializers as configured now (a few microseconds), not once at start-up.
        var invocation = InvocationData.SerializeJob(JobRunnerInvocation.For(JobPlaceholder, QueuePlaceholder));
        var state = new EnqueuedState(QueuePlaceholder).SerializeData();
        state[nameof(EnqueuedState.EnqueuedAt)] = EnqueuedAtPlaceholder;
        parameters.AddWithValue("state_name", EnqueuedState.StateName);
        parameters.AddWithValue("invocation_template", SerializationHelper.Serialize(invocation));
        parameters.AddWithValue("arguments_template", invocation.Arguments);
        parameters.AddWithValue("state_template", SerializationHelper.Serialize(state));
        parameters.AddWithValue("job_placeholder", JobPlaceholder.ToString());
        parameters.AddWithValue("queue_placeholder", QueuePlaceholder);
        parameters.AddWithValue("enqueued_at_placeholder", EnqueuedAtPlaceholder);
    }
}
