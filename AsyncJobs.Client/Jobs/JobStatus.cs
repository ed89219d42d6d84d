namespace AsyncJobs.Client.Jobs;

/// <summary>Where a job is in its life. <see cref="Succeeded"/>, <see cref="Failed"/> and <see cref="Cancelled"/> are terminal.</summary>
public enum JobStatus
{
    /// <summary>Accepted and waiting for a worker.</summary>
    Queued,

    /// <summary>A worker runs an attempt.</summary>
    Running,

    /// <summary>An attempt failed retryably; the next one is due at the error's <c>nextAttemptAt</c>.</summary>
    Retrying,

    /// <summary>Finished with a result (terminal).</summary>
    Succeeded,

    /// <summary>Finished with an error after its last attempt: a dead letter, replayable with retry (terminal).</summary>
    Failed,

    /// <summary>Cancelled by a caller (terminal).</summary>
    Cancelled,
}
