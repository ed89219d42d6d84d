using AsyncJobs.Worker.Hangfire;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>
/// The outbox relay writes Hangfire's rows itself, a whole batch per statement. These scenarios hold it to what
/// Hangfire's own client writes for the same job, in the same database, so an upgrade of Hangfire that changes its
/// rows fails here rather than in production.
/// </summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class HangfireBatchEnqueueTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    // No Hangfire server reads this queue, so neither job below ever runs.
    private const string UnreadQueue = "batch_enqueue_check";

    private const string ReadRows = $"""
        SELECT j.id, j.statename, j.invocationdata::text, j.arguments::text, j.expireat IS NULL,
               s.jobid = j.id, s.name, s.reason, s.data ->> 'Queue', s.data ->> 'EnqueuedAt', array(SELECT jsonb_object_keys(s.data) ORDER BY 1),
               (SELECT string_agg(p.name || '=' || p.value, ';' ORDER BY p.name) FROM {HangfireSetup.SchemaName}.jobparameter p WHERE p.jobid = j.id),
               (SELECT string_agg(q.queue || ':' || (q.fetchedat IS NULL), ';') FROM {HangfireSetup.SchemaName}.jobqueue q WHERE q.jobid = j.id)
        FROM {HangfireSetup.SchemaName}.job j JOIN {HangfireSetup.SchemaName}.state s ON s.id = j.stateid
        WHERE j.arguments ->> 0 = @argument
        """;

    static HangfireBatchEnqueueTests() => GlobalConfiguration.Configuration.UseAsyncJobsSerialization().WithoutCultureCapture();

    [Fact]
    public async Task A_batch_enqueued_job_has_exactly_the_rows_Hangfires_own_client_writes_and_wakes_long_polling()
    {
        using var deadline = StartDeadline();
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Topology.JobsDbConnectionString);
        var byClient = Guid.NewGuid();
        var byBatch = Guid.NewGuid();
        try
        {
            var storage = new PostgreSqlStorage(
                new DataSourceConnectionFactory(dataSource),
                new PostgreSqlStorageOptions { SchemaName = HangfireSetup.SchemaName, PrepareSchemaIfNecessary = false, EnableLongPolling = true });
            new BackgroundJobClient(storage).Create(JobRunnerInvocation.For(byClient, UnreadQueue), new EnqueuedState(UnreadQueue));

            await using var listener = await dataSource.OpenConnectionAsync(deadline.Token);
            var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            listener.Notification += (_, e) =>
            {
                if (e.Channel == HangfireQueueTable.NewJobChannel)
                {
                    notified.TrySetResult();
                }
            };
            await using (var listen = new NpgsqlCommand($"LISTEN {HangfireQueueTable.NewJobChannel}", listener))
            {
                await listen.ExecuteNonQueryAsync(deadline.Token);
            }

            await using (var connection = await dataSource.OpenConnectionAsync(deadline.Token))
            await using (var transaction = await connection.BeginTransactionAsync(deadline.Token))
            {
                await HangfireBatchEnqueue.EnqueueAsync(connection, transaction, [(byBatch, UnreadQueue)], deadline.Token);
                await transaction.CommitAsync(deadline.Token);
            }

            await listener.WaitAsync(deadline.Token);
            await notified.Task.WaitAsync(deadline.Token);

            var expected = await ReadRowsAsync(dataSource, byClient, deadline.Token);
            var actual = await ReadRowsAsync(dataSource, byBatch, deadline.Token);
            actual.ShouldBe(expected);
            actual.StateName.ShouldBe(EnqueuedState.StateName);
            actual.Queues.ShouldBe($"{UnreadQueue}:true");

            // Without Hangfire's culture capture there is nothing for a run to read back before it starts.
            actual.Parameters.ShouldBeEmpty();
        }
        finally
        {
            await DeleteAsync(dataSource, [byClient, byBatch]);
        }
    }

    [Fact]
    public async Task A_batch_keeps_its_order_in_the_queue()
    {
        using var deadline = StartDeadline();
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Topology.JobsDbConnectionString);
        var jobs = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(deadline.Token))
            await using (var transaction = await connection.BeginTransactionAsync(deadline.Token))
            {
                await HangfireBatchEnqueue.EnqueueAsync(connection, transaction, [.. jobs.Select(id => (id, UnreadQueue))], deadline.Token);
                await transaction.CommitAsync(deadline.Token);
            }

            await using var read = dataSource.CreateCommand($"""
                SELECT j.arguments ->> 0 FROM {HangfireSetup.SchemaName}.jobqueue q JOIN {HangfireSetup.SchemaName}.job j ON j.id = q.jobid
                WHERE q.queue = @queue ORDER BY q.id
                """);
            read.Parameters.AddWithValue("queue", UnreadQueue);
            var queued = new List<Guid>();
            await using (var reader = await read.ExecuteReaderAsync(deadline.Token))
            {
                while (await reader.ReadAsync(deadline.Token))
                {
                    queued.Add(Guid.Parse(reader.GetString(0).Trim('"')));
                }
            }

            queued.ShouldBe(jobs);
        }
        finally
        {
            await DeleteAsync(dataSource, jobs);
        }
    }

    private static async Task<HangfireRows> ReadRowsAsync(NpgsqlDataSource dataSource, Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadRows);
        command.Parameters.AddWithValue("argument", $"\"{jobId}\"");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (await reader.ReadAsync(cancellationToken)).ShouldBeTrue($"no Hangfire job for {jobId}");
        var id = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var enqueuedAt = long.Parse(reader.GetString(9), System.Globalization.CultureInfo.InvariantCulture);
        DateTimeOffset.FromUnixTimeMilliseconds(enqueuedAt).ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var rows = new HangfireRows(
            reader.GetString(1),
            reader.GetString(2).Replace(jobId.ToString(), "{job}", StringComparison.Ordinal),
            reader.GetString(3).Replace(jobId.ToString(), "{job}", StringComparison.Ordinal),
            NeverExpires: reader.GetBoolean(4),
            StateBelongsToJob: reader.GetBoolean(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetString(8),
            string.Join(",", reader.GetFieldValue<string[]>(10)),
            reader.IsDBNull(11) ? "" : reader.GetString(11),
            reader.IsDBNull(12) ? "" : reader.GetString(12));
        (await reader.ReadAsync(cancellationToken)).ShouldBeFalse($"two Hangfire jobs for {jobId} (id {id} and another)");
        return rows;
    }

    private static async Task DeleteAsync(NpgsqlDataSource dataSource, IReadOnlyList<Guid> jobIds)
    {
        await using var delete = dataSource.CreateCommand($"""
            WITH gone AS (DELETE FROM {HangfireSetup.SchemaName}.job WHERE arguments ->> 0 = ANY(@arguments) RETURNING id)
            DELETE FROM {HangfireSetup.SchemaName}.jobqueue WHERE jobid IN (SELECT id FROM gone)
            """);
        delete.Parameters.AddWithValue("arguments", jobIds.Select(id => $"\"{id}\"").ToArray());
        await delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private sealed record HangfireRows(
        string StateName,
        string InvocationData,
        string Arguments,
        bool NeverExpires,
        bool StateBelongsToJob,
        string State,
        string? StateReason,
        string StateQueue,
        string StateDataKeys,
        string Parameters,
        string Queues);
}
