namespace AsyncJobs.UnitTests.Webhooks;

/// <summary>
/// The fixed test vector of the Standard Webhooks specification's reference libraries, identical in
/// standard-webhooks/standard-webhooks libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs (verifyWebhookSignWorks)
/// and libraries/python/tests/test_webhooks.py (test_sign_function, test_invalid_signature_raises_error,
/// test_multi_sig_payload_is_valid). Written by the specification's authors, not derived from our signer.
/// </summary>
internal static class StandardWebhooksVectors
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string SecretWithoutPrefix = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const long Timestamp = 1614265330;
    public const string Payload = "{\"test\": 2432232314}";
    public const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /// <summary>The Python suite's invalid signature: the valid one with its last base64 character changed.</summary>
    public const string AlteredSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";

    /// <summary>The unrelated signatures both suites place around the valid one in their multi-signature test.</summary>
    public const string ForeignSignature = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    public const string OtherVersionSignature = "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

    public static DateTimeOffset SignedAt => DateTimeOffset.FromUnixTimeSeconds(Timestamp);
}
