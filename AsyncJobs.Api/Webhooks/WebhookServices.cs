using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Api.Webhooks;

/// <summary>What the webhook endpoints need, taken as one parameter with [AsParameters].</summary>
public sealed class WebhookServices(
    WebhookEndpointStore endpoints,
    WebhookDeliveryStore deliveries,
    WebhookEndpointValidation validation,
    CallbackSecretStore callbackSecrets)
{
    public WebhookEndpointStore Endpoints { get; } = endpoints;

    public WebhookDeliveryStore Deliveries { get; } = deliveries;

    public WebhookEndpointValidation Validation { get; } = validation;

    public CallbackSecretStore CallbackSecrets { get; } = callbackSecrets;
}
