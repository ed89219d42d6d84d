using AsyncJobs.Core.Events;

namespace AsyncJobs.Core.Webhooks;

/// <summary>Which job events a webhook endpoint receives: the types it lists, or every type when it lists none.</summary>
public static class WebhookEventFilter
{
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        JobEventTypes.Queued,
        JobEventTypes.Running,
        JobEventTypes.Progress,
        JobEventTypes.Retrying,
        JobEventTypes.Succeeded,
        JobEventTypes.Failed,
        JobEventTypes.Cancelled,
    };

    public static bool Matches(IReadOnlyCollection<string> endpointEventTypes, string eventType) =>
        endpointEventTypes.Count == 0 || endpointEventTypes.Contains(eventType, StringComparer.Ordinal);

    /// <summary>
    /// A job's own <c>callbackUrl</c> receives every state change but not progress: a handler may report progress
    /// hundreds of times per job, and a callback has no filter to opt out with. Tenants who want progress over
    /// webhooks subscribe an endpoint to <c>job.progress</c>.
    /// </summary>
    public static bool MatchesJobCallback(string eventType) => eventType != JobEventTypes.Progress;
}
