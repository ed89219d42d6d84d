using AsyncJobs.Core.Postgres;
using Npgsql;

namespace AsyncJobs.Core.Events;

/// <summary>
/// Reads <c>job_events</c> in id order for one durable consumer, from the position it last committed.
/// Identity ids are handed out when a row is inserted, but transactions commit in any order, so a missing id
/// may still be on its way: the tail stops at the first gap and waits for it, up to <c>gapTimeout</c>, after
/// which the id is taken to belong to a rolled-back insert and skipped.
/// </summary>
/// <remarks>
/// With <c>withTraceParent</c>, each event carries its job's trace context (a primary-key lookup per event,
/// about half the cost of the read): for a consumer whose spans join the job's trace. Without it, the read touches
/// <c>job_events</c> alone.
/// </remarks>
public sealed class JobEventTail(NpgsqlDataSource dataSource, string consumer, TimeSpan gapTimeout, TimeProvider time, bool withTraceParent)
{
    private const string ReadAfterWithTraceParent = """
        SELECT e.id, e.tenant_id, e.job_id, e.sequence, e.type, e.data::text, j.trace_parent
        FROM job_events e LEFT JOIN jobs j ON j.id = e.job_id
        WHERE e.id > @after ORDER BY e.id LIMIT @limit
        """;

    private const string ReadAfter = """
        SELECT e.id, e.tenant_id, e.job_id, e.sequence, e.type, e.data::text, NULL
        FROM job_events e
        WHERE e.id > @after ORDER BY e.id LIMIT @limit
        """;

    private long? position;
    private (long MissingId, DateTimeOffset Since)? gap;
    private long lastReadStarted;

    public string Consumer { get; } = consumer;

    /// <summary>The next events in id order, without gaps (a gap older than the timeout counts as none).</summary>
    public async Task<IReadOnlyList<JobEventMessage>> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        lastReadStarted = time.GetTimestamp();
        var after = position ??= await LoadPositionAsync(cancellationToken);
        await using var command = dataSource.CreateCommand(withTraceParent ? ReadAfterWithTraceParent : ReadAfter);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        var events = new List<JobEventMessage>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var expected = after + 1;
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                if (id != expected && !GapHasExpired(expected))
                {
                    break;
                }

                events.Add(new JobEventMessage(id, reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5))
                {
                    TraceParent = reader.IsDBNull(6) ? null : reader.GetString(6),
                });
                expected = id + 1;
            }
        }

        return events;
    }

    /// <summary>
    /// Waits until more events may be there: a NOTIFY on <paramref name="wakeUp"/> or the sweep interval, then at least
    /// until <paramref name="minimumReadInterval"/> has passed since the previous read began. Under a steady stream of
    /// commits each read (and position commit) then carries many commits' events, instead of one read per commit;
    /// after a quiet spell the next read is immediate.
    /// </summary>
    public async Task WaitForMoreAsync(ChannelWakeUp wakeUp, TimeSpan sweepInterval, TimeSpan minimumReadInterval, CancellationToken cancellationToken)
    {
        await wakeUp.WaitAsync(sweepInterval, cancellationToken);
        var sinceRead = time.GetElapsedTime(lastReadStarted);
        if (sinceRead < minimumReadInterval)
        {
            await Task.Delay(minimumReadInterval - sinceRead, time, cancellationToken);
        }
    }

    /// <summary>Records that every event up to <paramref name="lastEventId"/> is handled (optionally inside the caller's transaction).</summary>
    public async Task CommitAsync(long lastEventId, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        const string Save = """
            INSERT INTO event_consumers (consumer, last_event_id, updated_at) VALUES (@consumer, @id, now())
            ON CONFLICT (consumer) DO UPDATE SET last_event_id = GREATEST(event_consumers.last_event_id, EXCLUDED.last_event_id), updated_at = now()
            """;
        await using var command = connection is null ? dataSource.CreateCommand(Save) : new NpgsqlCommand(Save, connection, transaction);
        command.Parameters.AddWithValue("consumer", Consumer);
        command.Parameters.AddWithValue("id", lastEventId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        position = lastEventId;
        gap = null;
    }

    /// <summary>Forget the cached position (e.g. after losing leadership), so the next read starts from the stored one.</summary>
    public void Reset()
    {
        position = null;
        gap = null;
    }

    private bool GapHasExpired(long missingId)
    {
        var now = time.GetUtcNow();
        if (gap is not { } known || known.MissingId != missingId)
        {
            gap = (missingId, now);
            return false;
        }

        return now - known.Since >= gapTimeout;
    }

    private async Task<long> LoadPositionAsync(CancellationToken cancellationToken)
    {
        // A new consumer starts at the current end: it owes nothing to events from before it existed.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO event_consumers (consumer, last_event_id, updated_at)
            VALUES (@consumer, (SELECT coalesce(max(id), 0) FROM job_events), now())
            ON CONFLICT (consumer) DO UPDATE SET consumer = EXCLUDED.consumer
            RETURNING last_event_id
            """);
        command.Parameters.AddWithValue("consumer", Consumer);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
