namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class DeadLetterTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    [Fact]
    public async Task A_receiver_down_past_the_last_retry_leaves_a_dead_letter_that_redelivery_then_delivers()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/down"), ["job.succeeded"], deadline.Token);
        await receiver.StopAsync();

        var job = await tenant.SubmitQuickJobAsync(deadline.Token);
        var failed = await tenant.WaitForDeliveriesAsync("?state=failed", d => d.Any(x => x.JobId == job.Id), "a dead letter", deadline.Token);

        var deadLetter = failed.Single();
        deadLetter.EndpointId.ShouldBe(endpoint.Id);
        deadLetter.AttemptCount.ShouldBe(WebhookTopologyFixture.MaxAttempts);
        deadLetter.NextAttemptAt.ShouldBeNull();
        var detail = await tenant.GetDeliveryAsync(deadLetter.Id, deadline.Token);
        detail.Attempts.Select(a => a.Attempt).ShouldBe(Enumerable.Range(1, WebhookTopologyFixture.MaxAttempts));
        detail.Attempts.ShouldAllBe(a => a.StatusCode == null && !string.IsNullOrEmpty(a.Error));

        await receiver.RestartAsync(deadline.Token);
        using (var redeliver = await tenant.Api.PostAsync($"/webhooks/deliveries/{deadLetter.Id}/redeliver", null, deadline.Token))
        {
            var accepted = await redeliver.ReadAsync<DeliveryView>(System.Net.HttpStatusCode.Accepted, deadline.Token);
            accepted.State.ShouldBe("pending");
        }

        var received = await receiver.WaitUntilAsync(r => r.Any(x => x.Succeeded), "the redelivery", deadline.Token);
        received.Single().MessageId.ShouldBe(deadLetter.MessageId);
        received.Single().VerifyWith(endpoint.Secret).IsValid.ShouldBeTrue();
        var delivered = await tenant.WaitForDeliveriesAsync($"?jobId={job.Id}", d => d is [{ State: "succeeded" }], "succeeded", deadline.Token);
        delivered[0].AttemptCount.ShouldBe(WebhookTopologyFixture.MaxAttempts + 1, "attempt numbers continue after a redelivery");
        (await tenant.ListDeliveriesAsync("?state=failed", deadline.Token)).ShouldBeEmpty();

        // A pending delivery cannot be redelivered; another tenant's is not found.
        using var again = await tenant.Api.PostAsync($"/webhooks/deliveries/{deadLetter.Id}/redeliver", null, deadline.Token);
        again.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted, "a succeeded delivery can be sent again");
        using var stranger = await Fixture.NewTenantAsync(deadline.Token);
        using var notFound = await stranger.Api.PostAsync($"/webhooks/deliveries/{deadLetter.Id}/redeliver", null, deadline.Token);
        notFound.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }
}
