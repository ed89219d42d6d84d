namespace AsyncJobs.Api.Webhooks;

/// <summary>One event to one URL, and how its delivery went so far.</summary>
/// <param name="EndpointId">The tenant endpoint, or null for the job's own <c>callbackUrl</c>.</param>
/// <param name="MessageId">The <c>webhook-id</c> header every attempt carries.</param>
/// <param name="AttemptCount">Attempts made (a manual redelivery continues the count).</param>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid? EndpointId,
    string Url,
    Guid JobId,
    long EventId,
    string EventType,
    string MessageId,
    string State,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);
