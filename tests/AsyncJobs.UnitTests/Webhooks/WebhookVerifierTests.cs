using System.Globalization;
using AsyncJobs.Webhooks;
using Shouldly;
using static AsyncJobs.UnitTests.Webhooks.StandardWebhooksVectors;

namespace AsyncJobs.UnitTests.Webhooks;

public sealed class WebhookVerifierTests
{
    private static readonly TimeProvider AtSigning = new FixedTime(SignedAt);

    [Fact]
    public void Verifies_the_specification_test_vector() =>
        Verify(Secret, Signature).ShouldBe(WebhookVerificationResult.Valid);

    [Fact]
    public void Verifies_with_the_secret_without_its_prefix() =>
        Verify(SecretWithoutPrefix, Signature).IsValid.ShouldBeTrue();

    [Fact]
    public void Finds_the_valid_signature_among_foreign_and_other_version_ones() =>
        Verify(Secret, string.Join(' ', ForeignSignature, OtherVersionSignature, Signature, ForeignSignature)).IsValid.ShouldBeTrue();

    [Fact]
    public void Refuses_the_specification_altered_signature() =>
        Verify(Secret, AlteredSignature).Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);

    [Fact]
    public void Refuses_a_signature_whose_version_is_not_v1() =>
        Verify(Secret, "v2," + Signature[3..]).Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);

    [Fact]
    public void Refuses_garbage_in_the_signature_header() =>
        Verify(Secret, "v1,not-base64!! v1, ,,").Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);

    [Fact]
    public void Refuses_a_tampered_body() =>
        new WebhookVerifier(Secret, time: AtSigning)
            .Verify(MessageId, Timestamp.ToString(CultureInfo.InvariantCulture), Signature, "{\"test\": 2432232315}"u8)
            .Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);

    [Fact]
    public void Refuses_another_message_id() =>
        new WebhookVerifier(Secret, time: AtSigning)
            .Verify("msg_other", Timestamp.ToString(CultureInfo.InvariantCulture), Signature, "{\"test\": 2432232314}"u8)
            .Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);

    [Fact]
    public void Refuses_the_wrong_secret() =>
        Verify(WebhookSecret.Generate(), Signature).Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);

    [Theory]
    [InlineData(WebhookHeaderNames.Id)]
    [InlineData(WebhookHeaderNames.Timestamp)]
    [InlineData(WebhookHeaderNames.Signature)]
    public void Names_a_missing_header(string missing)
    {
        var headers = Headers(Signature);
        headers.Remove(missing);

        var result = new WebhookVerifier(Secret, time: AtSigning).Verify(headers.GetValueOrDefault, Payload);

        result.Failure.ShouldBe(WebhookVerificationFailure.MissingHeader);
        result.Message.ShouldContain(missing);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("-1614265330")]
    [InlineData("1614265330.5")]
    public void Refuses_a_timestamp_that_is_not_whole_seconds(string timestamp)
    {
        var headers = Headers(Signature);
        headers[WebhookHeaderNames.Timestamp] = timestamp;

        new WebhookVerifier(Secret, time: AtSigning).Verify(headers.GetValueOrDefault, Payload)
            .Failure.ShouldBe(WebhookVerificationFailure.InvalidTimestamp);
    }

    [Fact]
    public void Accepts_a_timestamp_at_the_edge_of_the_tolerance_either_way()
    {
        new WebhookVerifier(Secret, time: new FixedTime(SignedAt.AddMinutes(5))).Verify(Headers(Signature).GetValueOrDefault, Payload).IsValid.ShouldBeTrue();
        new WebhookVerifier(Secret, time: new FixedTime(SignedAt.AddMinutes(-5))).Verify(Headers(Signature).GetValueOrDefault, Payload).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Refuses_a_message_signed_longer_ago_than_the_tolerance() =>
        new WebhookVerifier(Secret, time: new FixedTime(SignedAt.AddMinutes(5).AddSeconds(1)))
            .Verify(Headers(Signature).GetValueOrDefault, Payload)
            .Failure.ShouldBe(WebhookVerificationFailure.TimestampTooOld);

    [Fact]
    public void Refuses_a_message_signed_further_in_the_future_than_the_tolerance() =>
        new WebhookVerifier(Secret, time: new FixedTime(SignedAt.AddMinutes(-5).AddSeconds(-1)))
            .Verify(Headers(Signature).GetValueOrDefault, Payload)
            .Failure.ShouldBe(WebhookVerificationFailure.TimestampTooNew);

    [Fact]
    public void Honours_a_custom_tolerance() =>
        new WebhookVerifier(Secret, TimeSpan.FromSeconds(10), new FixedTime(SignedAt.AddSeconds(11)))
            .Verify(Headers(Signature).GetValueOrDefault, Payload)
            .Failure.ShouldBe(WebhookVerificationFailure.TimestampTooOld);

    [Fact]
    public void During_a_rotation_either_secret_verifies_the_two_signature_header()
    {
        var oldSecret = Secret;
        var newSecret = WebhookSecret.Generate();
        var header = new WebhookSigner(newSecret, oldSecret).Sign(MessageId, SignedAt, Payload);

        Verify(oldSecret, header).IsValid.ShouldBeTrue();
        Verify(newSecret, header).IsValid.ShouldBeTrue();
        Verify(WebhookSecret.Generate(), header).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void A_receiver_holding_both_secrets_verifies_either_single_signature()
    {
        var newSecret = WebhookSecret.Generate();
        var verifier = new WebhookVerifier([newSecret, Secret], time: AtSigning);

        verifier.Verify(Headers(Signature).GetValueOrDefault, Payload).IsValid.ShouldBeTrue();
        verifier.Verify(Headers(new WebhookSigner(newSecret).Sign(MessageId, SignedAt, Payload)).GetValueOrDefault, Payload).IsValid.ShouldBeTrue();
    }

    private static WebhookVerificationResult Verify(string secret, string signature) =>
        new WebhookVerifier(secret, time: AtSigning).Verify(Headers(signature).GetValueOrDefault, Payload);

    private static Dictionary<string, string> Headers(string signature) => new(StringComparer.OrdinalIgnoreCase)
    {
        [WebhookHeaderNames.Id] = MessageId,
        [WebhookHeaderNames.Timestamp] = Timestamp.ToString(CultureInfo.InvariantCulture),
        [WebhookHeaderNames.Signature] = signature,
    };
}
