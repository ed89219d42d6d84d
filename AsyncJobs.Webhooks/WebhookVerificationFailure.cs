namespace AsyncJobs.Webhooks;

/// <summary>Why a webhook did not verify.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>It verified.</summary>
    None,

    /// <summary>One of <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> is missing or empty.</summary>
    MissingHeader,

    /// <summary><c>webhook-timestamp</c> is not a whole number of seconds.</summary>
    InvalidTimestamp,

    /// <summary>The timestamp is older than the tolerance allows (a replay, or a very late delivery).</summary>
    TimestampTooOld,

    /// <summary>The timestamp is further in the future than the tolerance allows.</summary>
    TimestampTooNew,

    /// <summary>No <c>v1</c> signature in the header matches the body under any of the secrets.</summary>
    NoMatchingSignature,
}
