using AsyncJobs.Webhooks;
using Shouldly;
using static AsyncJobs.UnitTests.Webhooks.StandardWebhooksVectors;

namespace AsyncJobs.UnitTests.Webhooks;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Signs_the_specification_test_vector_exactly() =>
        new WebhookSigner(Secret).Sign(MessageId, SignedAt, Payload).ShouldBe(Signature);

    [Fact]
    public void Accepts_the_secret_without_its_whsec_prefix() =>
        new WebhookSigner(SecretWithoutPrefix).Sign(MessageId, SignedAt, Payload).ShouldBe(Signature);

    [Fact]
    public void Signs_text_and_its_utf8_bytes_alike() =>
        new WebhookSigner(Secret).Sign(MessageId, SignedAt, "{\"test\": 2432232314}"u8).ShouldBe(Signature);

    [Fact]
    public void Several_secrets_give_one_signature_each_space_separated_in_order()
    {
        var other = WebhookSecret.Generate();

        var header = new WebhookSigner(Secret, other).Sign(MessageId, SignedAt, Payload);

        var signatures = header.Split(' ');
        signatures.Length.ShouldBe(2);
        signatures[0].ShouldBe(Signature);
        signatures[1].ShouldBe(new WebhookSigner(other).Sign(MessageId, SignedAt, Payload));
    }

    [Fact]
    public void The_timestamp_header_is_whole_unix_seconds() =>
        WebhookSigner.FormatTimestamp(SignedAt.AddMilliseconds(999)).ShouldBe("1614265330");

    [Fact]
    public void Generated_secrets_are_whsec_and_32_random_bytes()
    {
        var secret = WebhookSecret.Generate();

        secret.ShouldStartWith("whsec_");
        WebhookSecret.KeyOf(secret).Length.ShouldBe(32);
        WebhookSecret.Generate().ShouldNotBe(secret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void Refuses_a_malformed_secret(string secret) =>
        Should.Throw<ArgumentException>(() => new WebhookSigner(secret));

    [Fact]
    public void Refuses_no_secret_at_all() =>
        Should.Throw<ArgumentException>(() => new WebhookSigner(Array.Empty<string>()));
}
