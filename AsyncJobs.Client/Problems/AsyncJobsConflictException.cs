namespace AsyncJobs.Client.Problems;

/// <summary>The resource is in the wrong state for the call (409), e.g. cancelling a finished job or retrying one that did not fail.</summary>
public sealed class AsyncJobsConflictException : AsyncJobsProblemException
{
    /// <summary>An exception for <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem the API answered.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public AsyncJobsConflictException(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
        : base(problem, retryAfter)
    {
    }
}
