using AsyncJobs.Webhooks;

namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class SecretRotationTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    [Fact]
    public async Task After_a_rotation_deliveries_carry_two_signatures_and_either_secret_verifies()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/rotating"), ["job.succeeded"], deadline.Token);

        var rotated = await tenant.RotateSecretAsync(endpoint.Id, deadline.Token);
        rotated.Secret.ShouldNotBe(endpoint.Secret);
        rotated.PreviousSecretExpiresAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
        (await tenant.GetEndpointAsync(endpoint.Id, deadline.Token)).Enabled.ShouldBeTrue();

        var job = await tenant.SubmitQuickJobAsync(deadline.Token);
        var webhook = (await receiver.WaitUntilAsync(r => For(r, job.Id).Any(), "job.succeeded", deadline.Token)).Single();

        var signatures = webhook.Signature!.Split(' ');
        signatures.Length.ShouldBe(2);
        webhook.VerifyWith(rotated.Secret).IsValid.ShouldBeTrue();
        webhook.VerifyWith(endpoint.Secret).IsValid.ShouldBeTrue();
        webhook.VerifyWith(WebhookSecret.Generate()).Failure.ShouldBe(WebhookVerificationFailure.NoMatchingSignature);
        new WebhookVerifier(rotated.Secret).Verify(webhook.MessageId, webhook.Timestamp, signatures[0], webhook.Body).IsValid.ShouldBeTrue("the new secret signs first");
    }
}
