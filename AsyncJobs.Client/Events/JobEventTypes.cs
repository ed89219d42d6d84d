namespace AsyncJobs.Client.Events;

/// <summary>The event types the notifier streams (SSE <c>event:</c>).</summary>
public static class JobEventTypes
{
    /// <summary>The job was accepted (or queued again by a retry of a dead letter).</summary>
    public const string Queued = "job.queued";

    /// <summary>An attempt started.</summary>
    public const string Running = "job.running";

    /// <summary>The handler reported progress.</summary>
    public const string Progress = "job.progress";

    /// <summary>An attempt failed and another will follow.</summary>
    public const string Retrying = "job.retrying";

    /// <summary>The job succeeded (terminal).</summary>
    public const string Succeeded = "job.succeeded";

    /// <summary>The job failed after its last attempt (terminal).</summary>
    public const string Failed = "job.failed";

    /// <summary>The job was cancelled (terminal).</summary>
    public const string Cancelled = "job.cancelled";
}
