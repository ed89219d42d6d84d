namespace AsyncJobs.Notifier.Webhooks;

/// <summary>A delivery this notifier claimed for one attempt, with what it needs to sign it.</summary>
/// <param name="Attempt">This attempt's number (the claim counted it), also the fence for recording its outcome.</param>
/// <param name="EndpointSecrets">The endpoint's secret, then its previous one while that has not expired; empty for a job callback.</param>
/// <param name="EndpointDisabledReason">Set when the delivery's endpoint was disabled: it is then not sent.</param>
/// <param name="CallbackSecret">The tenant's callback secret (job callbacks), null until first created.</param>
/// <param name="TraceParent">The job's W3C trace context: each attempt is a span in the job's trace.</param>
/// <param name="CorrelationId">The job's correlation id, for the log lines about the attempt.</param>
public sealed record ClaimedDelivery(
    Guid Id,
    Guid TenantId,
    Guid? EndpointId,
    string Url,
    Guid JobId,
    string EventType,
    string Payload,
    int Attempt,
    IReadOnlyList<string> EndpointSecrets,
    string? EndpointDisabledReason,
    string? CallbackSecret,
    string? TraceParent = null,
    string? CorrelationId = null);
