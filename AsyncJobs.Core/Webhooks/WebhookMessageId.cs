namespace AsyncJobs.Core.Webhooks;

/// <summary>The Standard Webhooks <c>webhook-id</c> of a delivery: derived from its id, so every retry carries the same one.</summary>
public static class WebhookMessageId
{
    public static string For(Guid deliveryId) => "msg_" + deliveryId.ToString("N");
}
