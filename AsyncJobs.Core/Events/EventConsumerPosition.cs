namespace AsyncJobs.Core.Events;

/// <summary>How far a durable consumer of <c>job_events</c> (the Redis relay, the webhook fan-out) has come.</summary>
public sealed class EventConsumerPosition
{
    public required string Consumer { get; init; }

    public long LastEventId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
