namespace AsyncJobs.Client.Problems;

/// <summary>The credential is missing or unknown (401), or may not do this (403), e.g. a job token that tries to submit.</summary>
public sealed class AsyncJobsAccessDeniedException : AsyncJobsProblemException
{
    /// <summary>An exception for <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem the API answered.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public AsyncJobsAccessDeniedException(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
        : base(problem, retryAfter)
    {
    }
}
