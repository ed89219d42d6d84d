namespace AsyncJobs.Webhooks;

/// <summary>The outcome of verifying one webhook: valid, or the reason it is not.</summary>
/// <param name="Failure">Why it failed; <see cref="WebhookVerificationFailure.None"/> when valid.</param>
/// <param name="Message">A human-readable reason, for logs; empty when valid.</param>
public sealed record WebhookVerificationResult(WebhookVerificationFailure Failure, string Message)
{
    /// <summary>The result of a webhook that verified.</summary>
    public static readonly WebhookVerificationResult Valid = new(WebhookVerificationFailure.None, "");

    /// <summary>True when the webhook verified.</summary>
    public bool IsValid => Failure == WebhookVerificationFailure.None;
}
