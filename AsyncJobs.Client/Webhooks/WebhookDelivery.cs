namespace AsyncJobs.Client.Webhooks;

/// <summary>One event to one URL, and how its delivery went so far.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="EndpointId">The tenant endpoint, or null for the job's own <c>callbackUrl</c>.</param>
/// <param name="Url">Where it is delivered.</param>
/// <param name="JobId">The job the event is about.</param>
/// <param name="EventId">The global event id.</param>
/// <param name="EventType">The event type, e.g. <c>job.succeeded</c>.</param>
/// <param name="MessageId">The <c>webhook-id</c> every attempt carries.</param>
/// <param name="State"><c>pending</c>, <c>succeeded</c> or <c>failed</c> (dead-lettered).</param>
/// <param name="AttemptCount">Attempts made (a manual redelivery continues the count).</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="LastStatusCode">The receiver's last status code, if it answered.</param>
/// <param name="CreatedAt">When the delivery was created.</param>
/// <param name="DeliveredAt">When a receiver accepted it.</param>
public sealed record WebhookDelivery(
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
