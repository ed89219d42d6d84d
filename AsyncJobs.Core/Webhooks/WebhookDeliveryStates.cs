namespace AsyncJobs.Core.Webhooks;

/// <summary>The states of a webhook delivery, as stored in <c>webhook_deliveries.state</c>.</summary>
public static class WebhookDeliveryStates
{
    /// <summary>Waiting for its next attempt (or being attempted: a claim pushes <c>next_attempt_at</c> past the attempt).</summary>
    public const string Pending = "pending";

    /// <summary>A receiver answered 2xx.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Dead-lettered after the last attempt; a tenant can redeliver it by hand.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Succeeded, Failed];
}
