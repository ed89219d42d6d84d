using System.Text.Json;

namespace AsyncJobs.Client.Webhooks;

/// <summary>A delivery with the body it sends and every attempt, oldest first.</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Payload">The body sent: <c>{type, timestamp, data}</c>.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record WebhookDeliveryDetail(WebhookDelivery Delivery, JsonElement Payload, IReadOnlyList<WebhookAttempt> Attempts);
