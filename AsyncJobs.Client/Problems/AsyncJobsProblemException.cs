using System.Net;

namespace AsyncJobs.Client.Problems;

/// <summary>
/// The API refused a call with an RFC 9457 problem. Catch a subclass for a family of statuses
/// (<see cref="AsyncJobsNotFoundException"/>, <see cref="AsyncJobsInvalidRequestException"/>, <see cref="AsyncJobsConflictException"/>,
/// <see cref="AsyncJobsThrottledException"/>, <see cref="AsyncJobsAccessDeniedException"/>), or branch on <see cref="Type"/>
/// (one of <see cref="AsyncJobsProblemTypes"/>).
/// </summary>
public class AsyncJobsProblemException : Exception
{
    /// <summary>An exception for <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem the API answered.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public AsyncJobsProblemException(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
        : base(MessageOf(problem))
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>The problem as the API answered it.</summary>
    public AsyncJobsProblem Problem { get; }

    /// <summary>The problem's stable type URI.</summary>
    public string Type => Problem.Type;

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)Problem.Status;

    /// <summary>The messages per bad field; empty when the problem is not about fields.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problem.Errors;

    /// <summary>How long the API asked to wait before trying again (<c>Retry-After</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The exception class that fits the problem's status.</summary>
    public static AsyncJobsProblemException For(AsyncJobsProblem problem, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Status switch
        {
            404 => new AsyncJobsNotFoundException(problem, retryAfter),
            409 => new AsyncJobsConflictException(problem, retryAfter),
            429 or 503 => new AsyncJobsThrottledException(problem, retryAfter),
            401 or 403 => new AsyncJobsAccessDeniedException(problem, retryAfter),
            400 or 413 or 415 or 422 => new AsyncJobsInvalidRequestException(problem, retryAfter),
            _ => new AsyncJobsProblemException(problem, retryAfter),
        };
    }

    private static string MessageOf(AsyncJobsProblem problem) =>
        $"{problem.Status} {problem.Title ?? problem.Type}" + (problem.Detail is { Length: > 0 } detail ? $": {detail}" : "");
}
