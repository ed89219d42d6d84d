using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using Npgsql;

namespace AsyncJobs.Notifier.Events;

/// <summary>Reads durable job events from PostgreSQL, the source of truth behind every stream.</summary>
public sealed class JobEventHistory(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, tenant_id, job_id, sequence, type, data::text";

    /// <summary>One job's events after <paramref name="afterSequence"/>, oldest first.</summary>
    public Task<IReadOnlyList<JobEventMessage>> ReadJobAfterAsync(Guid jobId, int afterSequence, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT {Columns} FROM job_events WHERE job_id = @key AND sequence > @after ORDER BY sequence",
            jobId, afterSequence, long.MaxValue, cancellationToken);

    /// <summary>A tenant's events with ids in (<paramref name="afterEventId"/>, <paramref name="upToEventId"/>], oldest first, at most 1,000.</summary>
    public Task<IReadOnlyList<JobEventMessage>> ReadTenantAfterAsync(Guid tenantId, long afterEventId, long upToEventId, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT {Columns} FROM job_events WHERE tenant_id = @key AND id > @after AND id <= @up_to ORDER BY id LIMIT 1000",
            tenantId, afterEventId, upToEventId, cancellationToken);

    /// <summary>The newest event of each of a tenant's unfinished jobs (at most 1,000): the current state a tenant-wide stream opens with.</summary>
    public Task<IReadOnlyList<JobEventMessage>> ReadTenantSnapshotAsync(Guid tenantId, long upToEventId, CancellationToken cancellationToken) =>
        ReadAsync(
            $"""
            SELECT {Columns} FROM job_events e
            WHERE e.id IN (SELECT e2.id FROM jobs j JOIN job_events e2 ON e2.job_id = j.id AND e2.sequence = j.last_sequence
                           WHERE j.tenant_id = @key AND j.state IN ('queued', 'running', 'retrying') AND e2.id > @after AND e2.id <= @up_to
                           ORDER BY j.created_at DESC LIMIT 1000)
            ORDER BY e.id
            """,
            tenantId, 0, upToEventId, cancellationToken);

    /// <summary>The job's newest event: its current state.</summary>
    public async Task<JobEventMessage?> ReadLatestAsync(Guid jobId, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {Columns} FROM job_events WHERE job_id = @key AND sequence > @after ORDER BY sequence DESC LIMIT 1", jobId, 0, long.MaxValue, cancellationToken))
        .SingleOrDefault();

    /// <summary>How far the relay has copied events into Redis (every event up to it is committed and relayed).</summary>
    public async Task<long> ReadRelayPositionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT last_event_id FROM event_consumers WHERE consumer = @consumer");
        command.Parameters.AddWithValue("consumer", EventStreamRelay.ConsumerName);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
    }

    /// <summary>The job's state and newest sequence, when it belongs to <paramref name="tenantId"/>.</summary>
    public async Task<(JobState State, int LastSequence)?> FindAsync(Guid jobId, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT state, last_sequence FROM jobs WHERE id = @id AND tenant_id = @tenant_id");
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.AddWithValue("tenant_id", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (JobStateNames.Parse(reader.GetString(0)), reader.GetInt32(1)) : null;
    }

    private async Task<IReadOnlyList<JobEventMessage>> ReadAsync(string sql, Guid key, long after, long upTo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("after", after);
        if (sql.Contains("@up_to", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("up_to", upTo);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<JobEventMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new JobEventMessage(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5)));
        }

        return events;
    }
}
