using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using Npgsql;

namespace AsyncJobs.Notifier.Events;

/// <summary>Reads a job's durable events from PostgreSQL, the source of truth behind every stream.</summary>
public sealed class JobEventHistory(NpgsqlDataSource dataSource)
{
    private const string EventsAfter = """
        SELECT id, tenant_id, job_id, sequence, type, data::text FROM job_events
        WHERE job_id = @job_id AND sequence > @after
        ORDER BY sequence
        """;

    /// <summary>The job's events after <paramref name="afterSequence"/>, oldest first.</summary>
    public async Task<IReadOnlyList<JobEventMessage>> ReadAfterAsync(Guid jobId, int afterSequence, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EventsAfter);
        command.Parameters.AddWithValue("job_id", jobId);
        command.Parameters.AddWithValue("after", afterSequence);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<JobEventMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new JobEventMessage(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5)));
        }

        return events;
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
}
