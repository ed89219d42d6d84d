using System.Text.Json;

namespace AsyncJobs.Api.Webhooks;

/// <summary>A delivery with the body it sends and every attempt, oldest first.</summary>
public sealed record WebhookDeliveryDetailResponse(WebhookDeliveryResponse Delivery, JsonElement Payload, IReadOnlyList<WebhookAttemptResponse> Attempts);
