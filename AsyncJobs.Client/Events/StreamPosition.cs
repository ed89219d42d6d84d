namespace AsyncJobs.Client.Events;

/// <summary>Where a job stream starts.</summary>
public static class StreamPosition
{
    /// <summary>The whole history: every event from sequence 1 (<c>Last-Event-ID: 0</c>).</summary>
    public const int Beginning = 0;
}
