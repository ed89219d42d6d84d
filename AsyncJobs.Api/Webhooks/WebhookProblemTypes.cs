namespace AsyncJobs.Api.Webhooks;

/// <summary>Stable RFC 9457 <c>type</c> URIs of the webhook endpoints' own problems (the shared ones are in ProblemTypes).</summary>
public static class WebhookProblemTypes
{
    private const string Base = "https://asyncjobs.dev/problems/";

    public const string EndpointNotFound = Base + "webhook-endpoint-not-found";
    public const string DeliveryNotFound = Base + "webhook-delivery-not-found";
    public const string DeliveryPending = Base + "webhook-delivery-pending";
}
