namespace AsyncJobs.Api.Webhooks;

/// <summary>Deliveries, newest first.</summary>
public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Items);
