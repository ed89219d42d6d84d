using Npgsql;
using NpgsqlTypes;

namespace AsyncJobs.Bench.Baselines;

/// <summary>The harness's own tables, in a <c>bench</c> schema of jobsdb beside AsyncJobs' tables.</summary>
public sealed class BaselineDatabase(NpgsqlDataSource dataSource)
{
    public const string Schema = "bench";

    // The job row's shape (same column types, primary key and tenant/time index), without AsyncJobs' other indexes,
    // its first event and its NOTIFY: one row per commit, the single-commit ceiling.
    private const string CreateTables = $"""
        CREATE SCHEMA IF NOT EXISTS {Schema};
        CREATE TABLE IF NOT EXISTS {Schema}.accepted_jobs (
            id uuid PRIMARY KEY,
            tenant_id uuid NOT NULL,
            type varchar(100) NOT NULL,
            payload jsonb NOT NULL,
            state varchar(16) NOT NULL,
            priority varchar(8) NOT NULL,
            attempt integer NOT NULL,
            max_attempts integer NOT NULL,
            timeout_seconds integer NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_accepted_jobs_tenant_created ON {Schema}.accepted_jobs (tenant_id, created_at DESC, id DESC);
        CREATE TABLE IF NOT EXISTS {Schema}.hangfire_pickups (probe_id uuid PRIMARY KEY, started_at timestamptz NOT NULL);
        """;

    private const string InsertJob = $"""
        INSERT INTO {Schema}.accepted_jobs (id, tenant_id, type, payload, state, priority, attempt, max_attempts, timeout_seconds, created_at, updated_at)
        VALUES (@id, @tenant_id, 'demo.simulate', @payload, 'queued', 'normal', 0, 3, 300, @now, @now)
        """;

    private static readonly Guid BenchTenant = Guid.CreateVersion7();

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CreateTables);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One job-shaped row in its own transaction (autocommit).</summary>
    public async Task<bool> InsertJobAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(InsertJob);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("tenant_id", BenchTenant);
        command.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, """{"steps":1,"stepDurationMs":0}""");
        command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>When the probe's job started (database clock), or null while it has not.</summary>
    public async Task<DateTimeOffset?> PickupStartedAtAsync(Guid probeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT started_at FROM {Schema}.hangfire_pickups WHERE probe_id = @id");
        command.Parameters.AddWithValue("id", probeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    /// <summary>When each of these probes' jobs started (database clock), for those that have.</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> PickupsAsync(Guid[] probeIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT probe_id, started_at FROM {Schema}.hangfire_pickups WHERE probe_id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", probeIds);
        var started = new Dictionary<Guid, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            started[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return started;
    }
}
