namespace AsyncJobs.Client.Jobs;

/// <summary>Helpers for <see cref="JobStatus"/>.</summary>
public static class JobStatusExtensions
{
    /// <summary>True for the states a job never leaves by itself: succeeded, failed and cancelled.</summary>
    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>The lowercase name the API uses (<c>queued</c>, <c>running</c>, ...).</summary>
    public static string ToApiName(this JobStatus status) => status.ToString().ToLowerInvariant();
}
