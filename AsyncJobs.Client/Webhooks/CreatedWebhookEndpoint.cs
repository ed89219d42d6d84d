namespace AsyncJobs.Client.Webhooks;

/// <summary>A new webhook endpoint with its signing secret, shown only now and on rotation.</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="EventTypes">The event types delivered; empty for all.</param>
/// <param name="Description">The tenant's note.</param>
/// <param name="Enabled">True for a new endpoint.</param>
/// <param name="DisabledReason">Null for a new endpoint.</param>
/// <param name="Secret">The signing secret (<c>whsec_…</c>): give it to the receiver's verifier.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record CreatedWebhookEndpoint(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    string Secret,
    DateTimeOffset CreatedAt);
