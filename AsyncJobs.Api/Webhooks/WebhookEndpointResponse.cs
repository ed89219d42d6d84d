using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Api.Webhooks;

/// <summary>A webhook endpoint as the tenant sees it; the secret is shown only on creation and rotation.</summary>
public sealed record WebhookEndpointResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpoint endpoint) => new(
        endpoint.Id,
        endpoint.Url,
        endpoint.EventTypes,
        endpoint.Description,
        endpoint.Enabled,
        endpoint.DisabledReason,
        endpoint.DisabledAt,
        endpoint.FailingSince,
        endpoint.PreviousSecretExpiresAt,
        endpoint.CreatedAt);
}
