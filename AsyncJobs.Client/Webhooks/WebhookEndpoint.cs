namespace AsyncJobs.Client.Webhooks;

/// <summary>A webhook endpoint of the tenant (without its secret).</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="EventTypes">The event types delivered; empty for all.</param>
/// <param name="Description">The tenant's note.</param>
/// <param name="Enabled">False once disabled for failing too long.</param>
/// <param name="DisabledReason">Why it was disabled.</param>
/// <param name="DisabledAt">When it was disabled.</param>
/// <param name="FailingSince">Since when every delivery has failed, if they do.</param>
/// <param name="PreviousSecretExpiresAt">Until when the previous secret still signs beside the new one, after a rotation.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record WebhookEndpoint(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt);
