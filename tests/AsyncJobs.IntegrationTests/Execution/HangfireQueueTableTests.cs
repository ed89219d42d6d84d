using AsyncJobs.Core.Postgres;
using AsyncJobs.Worker.Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>
/// The worker's own Hangfire job queue, on the topology's database, with queues no Hangfire server reads. The poll
/// interval is set far beyond the test deadline, so a job found in time was found through a notification.
/// </summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class HangfireQueueTableTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    private static readonly TimeSpan NeverPolls = TimeSpan.FromHours(1);

    [Fact]
    public async Task Queues_are_served_in_the_order_given_and_each_queue_oldest_first()
    {
        using var deadline = StartDeadline();
        // Alphabetically the reverse of their priority: Hangfire.PostgreSql's own fetch would serve low first.
        var (high, normal, low) = (Unique("c-high"), Unique("b-normal"), Unique("a-low"));
        await using var queue = await QueueUnderTest.StartAsync(Fixture.Topology.JobsDbConnectionString, [high, normal, low], deadline.Token);

        await queue.InsertAsync([(101, low), (102, normal), (103, low), (104, high), (105, normal)], deadline.Token);

        var served = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            served.Add(await queue.DequeueAsync(deadline.Token));
        }

        served.ShouldBe([$"104@{high}", $"102@{normal}", $"105@{normal}", $"101@{low}", $"103@{low}"]);
    }

    [Fact]
    public async Task One_notification_for_a_batch_wakes_waiting_threads_until_every_job_is_taken()
    {
        using var deadline = StartDeadline();
        var name = Unique("batch");
        await using var queue = await QueueUnderTest.StartAsync(Fixture.Topology.JobsDbConnectionString, [name], deadline.Token);
        var waiting = Enumerable.Range(0, 4).Select(_ => queue.DequeueAsync(deadline.Token)).ToList();
        await SettleAsync(deadline.Token);

        await queue.InsertAsync([(201, name), (202, name), (203, name), (204, name)], deadline.Token);

        (await Task.WhenAll(waiting)).Order().ShouldBe([$"201@{name}", $"202@{name}", $"203@{name}", $"204@{name}"]);
    }

    [Fact]
    public async Task A_job_queued_by_Hangfires_own_transaction_wakes_a_waiting_thread()
    {
        using var deadline = StartDeadline();
        var name = Unique("retry");
        await using var queue = await QueueUnderTest.StartAsync(Fixture.Topology.JobsDbConnectionString, [name], deadline.Token);
        var waiting = queue.DequeueAsync(deadline.Token);
        await SettleAsync(deadline.Token);

        // How a retry falling due or a requeue from the dashboard reaches the queue.
        using (var connection = queue.Storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.AddToQueue(name, "301");
            transaction.Commit();
        }

        (await waiting).ShouldBe($"301@{name}");
    }

    [Fact]
    public async Task A_job_queued_while_the_listener_reconnects_is_still_found_without_waiting_for_the_poll()
    {
        using var deadline = StartDeadline();
        var name = Unique("reconnect");
        await using var queue = await QueueUnderTest.StartAsync(Fixture.Topology.JobsDbConnectionString, [name], deadline.Token);
        var waiting = queue.DequeueAsync(deadline.Token);
        await SettleAsync(deadline.Token);

        await queue.TerminateListenerAsync(deadline.Token);
        await queue.InsertAsync([(401, name)], deadline.Token);

        (await waiting).ShouldBe($"401@{name}");
    }

    [Fact]
    public async Task A_job_whose_worker_stopped_renewing_it_is_fetched_again_after_the_invisibility_timeout()
    {
        using var deadline = StartDeadline();
        var name = Unique("abandoned");
        await using var queue = await QueueUnderTest.StartAsync(Fixture.Topology.JobsDbConnectionString, [name], deadline.Token);
        await queue.InsertAsync([(501, name)], deadline.Token, fetchedAgo: QueueUnderTest.InvisibilityTimeout + TimeSpan.FromMinutes(1));
        await queue.InsertAsync([(502, name)], deadline.Token, fetchedAgo: QueueUnderTest.InvisibilityTimeout - TimeSpan.FromMinutes(1));

        (await queue.DequeueAsync(deadline.Token)).ShouldBe($"501@{name}");
        (await queue.CountUnfetchedOrExpiredAsync(deadline.Token)).ShouldBe(0);
    }

    [Fact]
    public async Task Every_so_many_fetches_the_process_vacuums_the_queue_table()
    {
        using var deadline = StartDeadline();
        var name = Unique("vacuum");
        const int fetchesPerVacuum = 5;
        await using var queue = await QueueUnderTest.StartAsync(Fixture.Topology.JobsDbConnectionString, [name], deadline.Token, fetchesPerVacuum);
        // Only this queue fetches here (the fixture's worker has no job in this scenario), and autovacuum counts apart.
        var vacuumsBefore = await queue.ManualVacuumsAsync(deadline.Token);

        await queue.InsertAsync([.. Enumerable.Range(601, fetchesPerVacuum).Select(id => ((long)id, name))], deadline.Token);
        for (var i = 0; i < fetchesPerVacuum; i++)
        {
            await queue.DequeueAsync(deadline.Token);
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        long vacuums;
        while ((vacuums = await queue.ManualVacuumsAsync(deadline.Token)) == vacuumsBefore && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }

        vacuums.ShouldBeGreaterThan(vacuumsBefore, $"{fetchesPerVacuum} fetches should have vacuumed the queue table");
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    // Lets the dequeuing threads find the queue empty and wait, so what follows must wake them. A thread still short
    // of waiting would find the job by itself: the scenario would prove less, never fail wrongly.
    private static Task SettleAsync(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

    /// <summary>A <see cref="HangfireQueueTable"/> with its own listener, as the worker wires them, on queues of its own.</summary>
    private sealed class QueueUnderTest : IAsyncDisposable
    {
        public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromMinutes(30);

        private readonly NpgsqlDataSource dataSource;
        private readonly ChannelWakeUp wakeUp;
        private readonly CancellationTokenSource stopping = new();
        private readonly Task listening;
        private readonly string[] queues;

        private QueueUnderTest(string connectionString, string[] queues, int fetchesPerVacuum)
        {
            // Its own application name, so the test can find and terminate its listener and no other.
            dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"queue-table-test-{Guid.NewGuid():N}" }.ConnectionString);
            this.queues = queues;
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSetup.SchemaName,
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = NeverPolls,
                InvisibilityTimeout = InvisibilityTimeout,
            };
            Storage = new AsyncJobsHangfireStorage(dataSource, options);
            wakeUp = new ChannelWakeUp(dataSource, HangfireQueueTable.NewJobChannel, NullLogger.Instance);
            HangfireQueueTable.Install(Storage, options, dataSource, wakeUp, new HangfireQueueVacuum(dataSource, TimeProvider.System, NullLogger<HangfireQueueVacuum>.Instance, fetchesPerVacuum), queues);
            listening = wakeUp.ListenAsync(stopping.Token);
        }

        public AsyncJobsHangfireStorage Storage { get; }

        private string ApplicationName => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).ApplicationName!;

        public static async Task<QueueUnderTest> StartAsync(
            string connectionString, string[] queues, CancellationToken cancellationToken, int fetchesPerVacuum = HangfireQueueVacuum.FetchesPerVacuum)
        {
            var queue = new QueueUnderTest(connectionString, queues, fetchesPerVacuum);
            await queue.WaitUntilListeningAsync(cancellationToken);
            return queue;
        }

        /// <summary>Dequeues on a thread of its own, as a Hangfire worker does; returns "jobId@queue" and takes the job off the queue.</summary>
        public Task<string> DequeueAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(
            () =>
            {
                using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
                // As a Hangfire worker fetches: through the storage's connection, which picks the installed queue.
                using var connection = Storage.GetConnection();
                using var fetched = connection.FetchNextJob(queues, cancelled.Token);
                fetched.RemoveFromQueue();
                return $"{fetched.JobId}@{((PostgreSqlFetchedJob)fetched).Queue}";
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        /// <summary>Queues rows in one statement with one notification, as the outbox relay does.</summary>
        public async Task InsertAsync(IReadOnlyList<(long JobId, string Queue)> rows, CancellationToken cancellationToken, TimeSpan? fetchedAgo = null)
        {
            await using var command = dataSource.CreateCommand($"""
                WITH queued AS (
                    INSERT INTO {HangfireSetup.SchemaName}.jobqueue (jobid, queue, fetchedat)
                    SELECT r.jobid, r.queue, now() - @fetched_ago FROM unnest(@job_ids, @queues) AS r(jobid, queue))
                SELECT pg_notify('{HangfireQueueTable.NewJobChannel}', '')
                """);
            command.Parameters.AddWithValue("job_ids", rows.Select(r => r.JobId).ToArray());
            command.Parameters.AddWithValue("queues", rows.Select(r => r.Queue).ToArray());
            command.Parameters.Add(new NpgsqlParameter("fetched_ago", (object?)fetchedAgo ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Interval });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<long> CountUnfetchedOrExpiredAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT count(*) FROM {HangfireSetup.SchemaName}.jobqueue WHERE queue = ANY (@queues) AND (fetchedat IS NULL OR fetchedat < now() - @timeout)");
            command.Parameters.AddWithValue("queues", queues);
            command.Parameters.AddWithValue("timeout", InvisibilityTimeout);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        /// <summary>VACUUMs of the queue table so far, not counting autovacuum's.</summary>
        public async Task<long> ManualVacuumsAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = '{HangfireSetup.SchemaName}' AND relname = 'jobqueue'");
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public async Task TerminateListenerAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND query ILIKE 'LISTEN%' AND pg_terminate_backend(pid)");
            command.Parameters.AddWithValue("name", ApplicationName);
            ((long)(await command.ExecuteScalarAsync(cancellationToken))!).ShouldBe(1);
        }

        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync();
            await listening;
            await using (var command = dataSource.CreateCommand($"DELETE FROM {HangfireSetup.SchemaName}.jobqueue WHERE queue = ANY (@queues)"))
            {
                command.Parameters.AddWithValue("queues", queues);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            wakeUp.Dispose();
            stopping.Dispose();
            await dataSource.DisposeAsync();
        }

        private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND query ILIKE 'LISTEN%'");
            command.Parameters.AddWithValue("name", ApplicationName);
            while ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }
}
