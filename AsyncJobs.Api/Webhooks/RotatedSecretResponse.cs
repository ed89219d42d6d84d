namespace AsyncJobs.Api.Webhooks;

/// <summary>The new secret after a rotation; the previous one keeps signing (beside it) until <paramref name="PreviousSecretExpiresAt"/>.</summary>
public sealed record RotatedSecretResponse(string Secret, DateTimeOffset? PreviousSecretExpiresAt);
