using AsyncJobs.Core.Events;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>Where one job event goes: each of its tenant's enabled endpoints that want its type, and the job's own callback URL.</summary>
public static class WebhookTargets
{
    /// <summary>A tenant endpoint as the fan-out needs it.</summary>
    public sealed record Endpoint(Guid Id, Guid TenantId, string Url, string[] EventTypes);

    /// <summary>One delivery to create: an endpoint's (with its id), or the job's callback (no endpoint id).</summary>
    public sealed record Target(Guid? EndpointId, string Url);

    public static IEnumerable<Target> For(
        JobEventMessage message, IEnumerable<Endpoint> tenantEndpoints, string? jobCallbackUrl)
    {
        foreach (var endpoint in tenantEndpoints)
        {
            if (endpoint.TenantId == message.TenantId && WebhookEventFilter.Matches(endpoint.EventTypes, message.Type))
            {
                yield return new Target(endpoint.Id, endpoint.Url);
            }
        }

        if (jobCallbackUrl is not null && WebhookEventFilter.MatchesJobCallback(message.Type))
        {
            yield return new Target(null, jobCallbackUrl);
        }
    }
}
