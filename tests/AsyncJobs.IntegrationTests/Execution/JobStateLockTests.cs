using AsyncJobs.Worker.Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>
/// Hangfire's job state locks as the worker's storage takes them (<see cref="JobStateAdvisoryLock"/>), on the topology's
/// database, from two storages with pools of their own, as two worker processes would hold them.
/// </summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class JobStateLockTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Brief = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_job_state_lock_keeps_out_every_other_holder_of_that_job_until_released_and_writes_no_row()
    {
        using var deadline = StartDeadline();
        await using var first = StorageUnderTest.Create(Fixture.Topology.JobsDbConnectionString);
        await using var second = StorageUnderTest.Create(Fixture.Topology.JobsDbConnectionString);
        var job = UniqueJobId();

        var held = first.Acquire(StateLock(job), Wait);
        (await LockRowsAsync(first, job, deadline.Token)).ShouldBe(0);

        await Should.ThrowAsync<DistributedLockTimeoutException>(() => Task.Run(() => second.Acquire(StateLock(job), Brief), deadline.Token));
        using (second.Acquire(StateLock(job + 1), Brief))
        {
            // Another job's state lock is free meanwhile.
        }

        held.Dispose();
        using (second.Acquire(StateLock(job), Brief))
        {
            await Should.ThrowAsync<DistributedLockTimeoutException>(() => Task.Run(() => first.Acquire(StateLock(job), Brief), deadline.Token));
        }

        using (first.Acquire(StateLock(job), Brief))
        {
        }
    }

    [Fact]
    public async Task A_job_state_lock_ends_with_the_session_of_its_holder()
    {
        using var deadline = StartDeadline();
        await using var dying = StorageUnderTest.Create(Fixture.Topology.JobsDbConnectionString);
        await using var survivor = StorageUnderTest.Create(Fixture.Topology.JobsDbConnectionString);
        var job = UniqueJobId();
        var held = dying.Acquire(StateLock(job), Wait);

        // What a worker killed with kill -9 leaves: its connections close, nothing deletes anything.
        (await dying.TerminateSessionsAsync(survivor.DataSource, deadline.Token)).ShouldBeGreaterThan(0);

        using (survivor.Acquire(StateLock(job), Wait))
        {
        }

        // The holder's own release finds its connection gone and does not throw.
        held.Dispose();
    }

    [Fact]
    public async Task Other_resources_keep_Hangfires_lock_table()
    {
        using var deadline = StartDeadline();
        await using var storage = StorageUnderTest.Create(Fixture.Topology.JobsDbConnectionString);
        var resource = $"locks:state-lock-test-{Guid.NewGuid():N}";

        using (storage.Acquire(resource, Wait))
        {
            (await CountAsync(storage, $"{HangfireSetup.SchemaName}:{resource}", deadline.Token)).ShouldBe(1);
        }

        (await CountAsync(storage, $"{HangfireSetup.SchemaName}:{resource}", deadline.Token)).ShouldBe(0);
    }

    private static string StateLock(long job) => $"job:{job}:state-lock";

    // Far above any id Hangfire's sequence hands out in a test run, and different in every test.
    private static long UniqueJobId() => 1_000_000_000L + Random.Shared.NextInt64(1_000_000_000L);

    private static Task<long> LockRowsAsync(StorageUnderTest storage, long job, CancellationToken cancellationToken) =>
        CountAsync(storage, $"{HangfireSetup.SchemaName}:{StateLock(job)}", cancellationToken);

    private static async Task<long> CountAsync(StorageUnderTest storage, string resource, CancellationToken cancellationToken)
    {
        await using var command = storage.DataSource.CreateCommand($"SELECT count(*) FROM {HangfireSetup.SchemaName}.lock WHERE resource = @resource");
        command.Parameters.AddWithValue("resource", resource);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The worker's Hangfire storage on a pool of its own, told apart from others by its application name.</summary>
    private sealed class StorageUnderTest : IAsyncDisposable
    {
        private readonly string applicationName = $"state-lock-test-{Guid.NewGuid():N}";
        private readonly AsyncJobsHangfireStorage storage;

        private StorageUnderTest(string connectionString)
        {
            DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName }.ConnectionString);
            storage = new AsyncJobsHangfireStorage(DataSource, new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSetup.SchemaName,
                PrepareSchemaIfNecessary = false,
            });
        }

        public NpgsqlDataSource DataSource { get; }

        public static StorageUnderTest Create(string connectionString) => new(connectionString);

        /// <summary>As Hangfire takes a lock: through a connection of the storage, kept for as long as the lock.</summary>
        public IDisposable Acquire(string resource, TimeSpan timeout)
        {
            var connection = storage.GetConnection();
            try
            {
                var acquired = connection.AcquireDistributedLock(resource, timeout);
                return new Held(acquired, connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>Ends every session of this storage's pool from outside it, through <paramref name="other"/>.</summary>
        public async Task<int> TerminateSessionsAsync(NpgsqlDataSource other, CancellationToken cancellationToken)
        {
            // In the target list, so it runs only on the rows the filter kept.
            await using var command = other.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name");
            command.Parameters.AddWithValue("name", applicationName);
            var terminated = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                terminated += reader.GetBoolean(0) ? 1 : 0;
            }

            return terminated;
        }

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();

        private sealed class Held(IDisposable acquired, IStorageConnection connection) : IDisposable
        {
            public void Dispose()
            {
                acquired.Dispose();
                connection.Dispose();
            }
        }
    }
}
