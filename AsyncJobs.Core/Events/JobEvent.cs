namespace AsyncJobs.Core.Events;

/// <summary>
/// One entry of a job's durable, ordered history, written in the same transaction as the change it records.
/// </summary>
public sealed class JobEvent
{
    /// <summary>Global order across all jobs (used by tenant-wide streams).</summary>
    public long Id { get; init; }

    public Guid JobId { get; init; }

    public Guid TenantId { get; init; }

    /// <summary>1, 2, 3, ... per job, without gaps: the SSE event id.</summary>
    public int Sequence { get; init; }

    public required string Type { get; init; }

    /// <summary>The job's snapshot at this event, as JSON (see <see cref="JobEventMessage"/>).</summary>
    public required string Data { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
