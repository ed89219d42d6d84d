namespace AsyncJobs.Bench.Events;

/// <summary>
/// An SSE event as the client got it: <see cref="OccurredAt"/> is the database's time of the state change (for a
/// <see cref="Live"/> progress frame, which has no id, the worker's time of the report).
/// </summary>
public sealed record ReceivedEvent(string Type, long Id, int Attempt, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, bool Live = false)
{
    public double LatencyMilliseconds => (ReceivedAt - OccurredAt).TotalMilliseconds;

    public bool IsTerminal => Type is "job.succeeded" or "job.failed" or "job.cancelled";
}
