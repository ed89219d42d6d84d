namespace AsyncJobs.Client.Webhooks;

/// <summary>A new signing secret; the previous one keeps signing beside it until <paramref name="PreviousSecretExpiresAt"/>.</summary>
/// <param name="Secret">The new secret (<c>whsec_…</c>).</param>
/// <param name="PreviousSecretExpiresAt">Until when deliveries also carry the old secret's signature.</param>
public sealed record RotatedWebhookSecret(string Secret, DateTimeOffset? PreviousSecretExpiresAt);
