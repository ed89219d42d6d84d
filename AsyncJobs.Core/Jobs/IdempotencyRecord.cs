namespace AsyncJobs.Core.Jobs;

/// <summary>
/// What an <c>Idempotency-Key</c> produced: the request it was first used with (hashed) and the answer given,
/// replayed verbatim when the same request comes again within the retention window.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid TenantId { get; init; }

    public required string Key { get; init; }

    public required byte[] RequestHash { get; init; }

    public Guid JobId { get; init; }

    /// <summary>The original 202 body, as JSON (it holds the job token, so the record expires).</summary>
    public required string Response { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }
}
