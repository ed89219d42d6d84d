namespace AsyncJobs.Webhooks;

/// <summary>The HTTP headers of a Standard Webhooks delivery.</summary>
public static class WebhookHeaderNames
{
    /// <summary>The message id: the same for every retry of one message, so receivers can drop duplicates.</summary>
    public const string Id = "webhook-id";

    /// <summary>When the message was signed, in whole seconds since the Unix epoch.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>Space-separated signatures, each <c>v1,</c> + base64(HMAC-SHA256).</summary>
    public const string Signature = "webhook-signature";
}
