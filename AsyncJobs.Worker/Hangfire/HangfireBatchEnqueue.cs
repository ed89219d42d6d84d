using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Enqueues a batch of <see cref="JobRunnerInvocation"/> jobs in Hangfire with ONE statement on the caller's
/// transaction. <c>BackgroundJobClient.Create(job, new EnqueuedState(queue))</c> costs Hangfire.PostgreSql several
/// round trips and a commit per job; this writes the very same rows for the whole batch at once: the job with its
/// Enqueued state, the queue entry, and one NOTIFY on the channel <see cref="NewJobListener"/> listens to (no job
/// parameter: <see cref="HangfireSetup.WithoutCultureCapture"/>). The invocation and state documents come from Hangfire's own
/// serializers, and an integration test (HangfireBatchEnqueueTests) holds the rows to those Hangfire's client writes.
/// </summary>
public static class HangfireBatchEnqueue
{
    // The statement notifies the channel itself (delivered at commit), so the batch costs one round trip.
    private const string EnqueueBatch = $"""
        WITH input AS MATERIALIZED (
            SELECT nextval('{HangfireSetup.SchemaName}.job_id_seq') AS job_id, nextval('{HangfireSetup.SchemaName}.state_id_seq') AS state_id, i.*
            FROM unnest(@invocation_data, @arguments, @queue, @state_data) AS i(invocation_data, arguments, queue, state_data)),
        job AS (
            INSERT INTO {HangfireSetup.SchemaName}.job (id, stateid, statename, invocationdata, arguments, createdat, expireat)
            SELECT job_id, state_id, @state_name, invocation_data::jsonb, arguments::jsonb, now(), NULL FROM input),
        state AS (
            INSERT INTO {HangfireSetup.SchemaName}.state (id, jobid, name, reason, createdat, data)
            SELECT state_id, job_id, @state_name, NULL, now(), state_data::jsonb FROM input),
        queued AS (
            INSERT INTO {HangfireSetup.SchemaName}.jobqueue (jobid, queue)
            SELECT job_id, queue FROM input)
        SELECT pg_notify('{HangfireQueueTable.NewJobChannel}', '')
        """;

    /// <summary>Enqueues one job per (AsyncJobs job id, Hangfire queue), in the given order, within <paramref name="transaction"/>.</summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid JobId, string Queue)> jobs, CancellationToken cancellationToken)
    {
        var invocationData = new string[jobs.Count];
        var arguments = new string[jobs.Count];
        var queues = new string[jobs.Count];
        var stateData = new string[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            var (jobId, queue) = jobs[i];
            var invocation = InvocationData.SerializeJob(JobRunnerInvocation.For(jobId, queue));
            invocationData[i] = SerializationHelper.Serialize(invocation);
            arguments[i] = invocation.Arguments;
            queues[i] = queue;
            stateData[i] = SerializationHelper.Serialize(new EnqueuedState(queue).SerializeData());
        }

        await using var command = new NpgsqlCommand(EnqueueBatch, connection, transaction);
        command.Parameters.AddWithValue("invocation_data", invocationData);
        command.Parameters.AddWithValue("arguments", arguments);
        command.Parameters.AddWithValue("queue", queues);
        command.Parameters.AddWithValue("state_data", stateData);
        command.Parameters.AddWithValue("state_name", EnqueuedState.StateName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
