namespace AsyncJobs.Api.Problems;

/// <summary>Stable RFC 9457 <c>type</c> URIs, one per kind of problem, so clients can branch on them.</summary>
public static class ProblemTypes
{
    private const string Base = "https://asyncjobs.dev/problems/";

    public const string ValidationFailed = Base + "validation-failed";
    public const string UnknownJobType = Base + "unknown-job-type";
    public const string InvalidPayload = Base + "invalid-payload";
    public const string JobNotFound = Base + "job-not-found";
    public const string Forbidden = Base + "forbidden";
}
