namespace AsyncJobs.Notifier.Webhooks;

/// <summary>What a delivery attempt came to, as span and metric attributes.</summary>
internal static class WebhookOutcomes
{
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string DeadLettered = "dead_lettered";

    public static string Of(WebhookAttemptOutcome outcome, TimeSpan? retryAfter) =>
        outcome.Succeeded ? Delivered : retryAfter is null ? DeadLettered : Retrying;
}
