namespace AsyncJobs.Client.Problems;

/// <summary>No such job, endpoint or delivery for this caller, or no result yet (404): another tenant's ids are not found either.</summary>
public sealed class AsyncJobsNotFoundException : AsyncJobsProblemException
{
    /// <summary>An exception for <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem the API answered.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public AsyncJobsNotFoundException(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
        : base(problem, retryAfter)
    {
    }
}
