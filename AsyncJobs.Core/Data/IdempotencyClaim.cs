namespace AsyncJobs.Core.Data;

/// <summary>An Idempotency-Key to record with a new job, with the answer to replay for the same request.</summary>
public sealed record IdempotencyClaim(string Key, byte[] RequestHash, string Response, DateTimeOffset ExpiresAt);
