namespace AsyncJobs.Client.Jobs;

/// <summary>Why an attempt failed.</summary>
/// <param name="Type">A stable error kind, e.g. <c>timeout</c>, <c>worker_lost</c>, or the handler's own.</param>
/// <param name="Message">A human-readable message.</param>
/// <param name="Retryable">Whether another attempt follows (while attempts remain).</param>
/// <param name="Attempt">The attempt that failed.</param>
public sealed record JobError(string Type, string Message, bool Retryable, int Attempt)
{
    /// <summary>When the next attempt is due, for a job that is <see cref="JobStatus.Retrying"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
