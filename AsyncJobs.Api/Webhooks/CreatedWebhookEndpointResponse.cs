using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Api.Webhooks;

/// <summary>A new webhook endpoint, with its signing secret: the one time it is shown besides a rotation.</summary>
public sealed record CreatedWebhookEndpointResponse(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    string Secret,
    DateTimeOffset CreatedAt)
{
    public static CreatedWebhookEndpointResponse From(WebhookEndpoint endpoint) => new(
        endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Description, endpoint.Enabled, endpoint.DisabledReason, endpoint.Secret, endpoint.CreatedAt);
}
