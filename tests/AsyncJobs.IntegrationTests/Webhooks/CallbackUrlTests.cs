namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class CallbackUrlTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    [Fact]
    public async Task A_jobs_callback_url_gets_its_state_changes_signed_with_the_tenant_callback_secret()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        var secret = await tenant.CallbackSecretAsync(deadline.Token);
        (await tenant.CallbackSecretAsync(deadline.Token)).ShouldBe(secret, "the callback secret is created once, then kept");

        var job = await tenant.SubmitQuickJobAsync(deadline.Token, receiver.Url("/callback"));
        await receiver.WaitUntilAsync(r => For(r, job.Id, "job.succeeded").Any(), "job.succeeded", deadline.Token);
        var deliveries = await tenant.WaitForDeliveriesAsync(
            $"?jobId={job.Id}", d => d.Any(x => x.EventType == "job.succeeded") && d.All(x => x.State == "succeeded"), "all succeeded", deadline.Token);
        var received = receiver.Received;

        // Every state change, but no progress: a callback has no filter to opt out of hundreds of progress events.
        received.Select(r => r.Type).ShouldBe(["job.queued", "job.running", "job.succeeded"], ignoreOrder: true);
        received.ShouldAllBe(r => r.VerifyWith(secret).IsValid && r.Path == "/callback");
        deliveries.Length.ShouldBe(3);
        deliveries.ShouldAllBe(d => d.EndpointId == null);
    }

    [Fact]
    public async Task A_callback_delivery_before_the_tenant_ever_asked_creates_the_secret_it_then_reads()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);

        var job = await tenant.SubmitQuickJobAsync(deadline.Token, receiver.Url("/callback"));
        var received = await receiver.WaitUntilAsync(r => For(r, job.Id, "job.succeeded").Any(), "job.succeeded", deadline.Token);

        var secret = await tenant.CallbackSecretAsync(deadline.Token);
        received.ShouldAllBe(r => r.VerifyWith(secret).IsValid);
    }
}
