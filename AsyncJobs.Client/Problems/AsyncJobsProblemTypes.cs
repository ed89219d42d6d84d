namespace AsyncJobs.Client.Problems;

/// <summary>The stable <c>type</c> URIs of the API's problems.</summary>
public static class AsyncJobsProblemTypes
{
    private const string Base = "https://asyncjobs.dev/problems/";

    /// <summary>A field is missing or out of range (400); see <see cref="AsyncJobsProblem.Errors"/>.</summary>
    public const string ValidationFailed = Base + "validation-failed";

    /// <summary>The body is not JSON (400).</summary>
    public const string MalformedJson = Base + "malformed-json";

    /// <summary>The body is not <c>application/json</c> (415).</summary>
    public const string UnsupportedMediaType = Base + "unsupported-media-type";

    /// <summary>The body is over 1 MiB (413).</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";

    /// <summary>No handler for the job type (400).</summary>
    public const string UnknownJobType = Base + "unknown-job-type";

    /// <summary>The payload does not match the job type's schema (400).</summary>
    public const string InvalidPayload = Base + "invalid-payload";

    /// <summary>The callback or endpoint URL points at a private, loopback or link-local address (400).</summary>
    public const string CallbackUrlNotAllowed = Base + "callback-url-not-allowed";

    /// <summary>The <c>Idempotency-Key</c> header is not acceptable (400).</summary>
    public const string InvalidIdempotencyKey = Base + "invalid-idempotency-key";

    /// <summary>The same <c>Idempotency-Key</c> came with another body (422).</summary>
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";

    /// <summary>The list cursor is not one the API returned (400).</summary>
    public const string InvalidCursor = Base + "invalid-cursor";

    /// <summary>No such job for this caller, including another tenant's job (404).</summary>
    public const string JobNotFound = Base + "job-not-found";

    /// <summary>The job has no result (yet) (404).</summary>
    public const string ResultNotAvailable = Base + "result-not-available";

    /// <summary>The job has finished and cannot be cancelled (409).</summary>
    public const string JobAlreadyFinished = Base + "job-already-finished";

    /// <summary>Only failed (dead-lettered) jobs can be retried (409).</summary>
    public const string JobNotFailed = Base + "job-not-failed";

    /// <summary>The credential may not do this, e.g. a job token submitting (403).</summary>
    public const string Forbidden = Base + "forbidden";

    /// <summary>No or an unknown API key (401).</summary>
    public const string Unauthorized = Base + "unauthorized";

    /// <summary>Too many submissions per minute (429, with <c>Retry-After</c>).</summary>
    public const string RateLimited = Base + "rate-limited";

    /// <summary>Admission control: the backlog or the tenant's in-flight limit is full (503, with <c>Retry-After</c>).</summary>
    public const string BacklogFull = Base + "backlog-full";

    /// <summary>No such webhook endpoint for this caller (404).</summary>
    public const string WebhookEndpointNotFound = Base + "webhook-endpoint-not-found";

    /// <summary>No such webhook delivery for this caller (404).</summary>
    public const string WebhookDeliveryNotFound = Base + "webhook-delivery-not-found";

    /// <summary>The delivery is still being attempted and cannot be redelivered now (409).</summary>
    public const string WebhookDeliveryPending = Base + "webhook-delivery-pending";

    /// <summary>A webhook's signature, timestamp or headers did not verify (401, from a receiver using <c>RequireWebhookSignature</c>).</summary>
    public const string InvalidWebhookSignature = Base + "invalid-webhook-signature";
}
