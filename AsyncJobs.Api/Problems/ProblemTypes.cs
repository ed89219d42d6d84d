namespace AsyncJobs.Api.Problems;

/// <summary>Stable RFC 9457 <c>type</c> URIs, one per kind of problem, so clients can branch on them.</summary>
public static class ProblemTypes
{
    private const string Base = "https://asyncjobs.dev/problems/";

    public const string ValidationFailed = Base + "validation-failed";
    public const string MalformedJson = Base + "malformed-json";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string UnknownJobType = Base + "unknown-job-type";
    public const string InvalidPayload = Base + "invalid-payload";
    public const string CallbackUrlNotAllowed = Base + "callback-url-not-allowed";
    public const string InvalidIdempotencyKey = Base + "invalid-idempotency-key";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string InvalidCursor = Base + "invalid-cursor";
    public const string JobNotFound = Base + "job-not-found";
    public const string ResultNotAvailable = Base + "result-not-available";
    public const string JobAlreadyFinished = Base + "job-already-finished";
    public const string JobNotFailed = Base + "job-not-failed";
    public const string Forbidden = Base + "forbidden";
    public const string Unauthorized = Base + "unauthorized";
    public const string RateLimited = Base + "rate-limited";
    public const string BacklogFull = Base + "backlog-full";
    public const string TenantExists = Base + "tenant-exists";
}
