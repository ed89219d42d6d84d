namespace AsyncJobs.Client.Problems;

/// <summary>The API asked to come back later (429 rate-limited, 503 backlog-full) and the client's bounded waits did not get through; see <see cref="AsyncJobsProblemException.RetryAfter"/>.</summary>
public sealed class AsyncJobsThrottledException : AsyncJobsProblemException
{
    /// <summary>An exception for <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem the API answered.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public AsyncJobsThrottledException(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
        : base(problem, retryAfter)
    {
    }
}
