namespace AsyncJobs.Client.Problems;

/// <summary>The request itself is wrong (400, 413, 415, 422): nothing changed; <see cref="AsyncJobsProblemException.Errors"/> names the bad fields.</summary>
public sealed class AsyncJobsInvalidRequestException : AsyncJobsProblemException
{
    /// <summary>An exception for <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem the API answered.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public AsyncJobsInvalidRequestException(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
        : base(problem, retryAfter)
    {
    }
}
