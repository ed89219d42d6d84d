namespace AsyncJobs.Bench.Events;

/// <summary>An SSE event as the client got it: <see cref="OccurredAt"/> is the database's time of the state change.</summary>
public sealed record ReceivedEvent(string Type, long Id, int Attempt, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt)
{
    public double LatencyMilliseconds => (ReceivedAt - OccurredAt).TotalMilliseconds;

    public bool IsTerminal => Type is "job.succeeded" or "job.failed" or "job.cancelled";
}
