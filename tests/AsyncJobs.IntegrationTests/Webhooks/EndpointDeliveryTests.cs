using AsyncJobs.Webhooks;

namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class EndpointDeliveryTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    [Fact]
    public async Task A_tenant_endpoint_receives_every_event_of_a_job_signed_with_its_secret()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/all"), eventTypes: null, deadline.Token);
        endpoint.Secret.ShouldStartWith("whsec_");

        var job = await tenant.SubmitQuickJobAsync(deadline.Token);
        await receiver.WaitUntilAsync(r => For(r, job.Id, "job.succeeded").Any(), "job.succeeded", deadline.Token);
        // A delivery is recorded after the receiver answered, so once all are recorded the receiver has them all.
        var deliveries = await tenant.WaitForDeliveriesAsync(
            $"?endpointId={endpoint.Id}", d => d.Any(x => x.EventType == "job.succeeded") && d.All(x => x.State == "succeeded"), "all succeeded", deadline.Token);
        var received = receiver.Received;

        // Deliveries are sent concurrently, so they may arrive in any order (data.sequence orders them).
        var types = For(received, job.Id).OrderBy(r => r.Json.GetProperty("data").GetProperty("sequence").GetInt64()).Select(r => r.Type).ToList();
        types[0].ShouldBe("job.queued");
        types.ShouldContain("job.running");
        types[^1].ShouldBe("job.succeeded");
        foreach (var webhook in received)
        {
            webhook.VerifyWith(endpoint.Secret).ShouldBe(WebhookVerificationResult.Valid, webhook.BodyText);
            webhook.MessageId.ShouldStartWith("msg_");
            webhook.ContentType.ShouldBe("application/json");
            webhook.Path.ShouldBe("/hooks/all");
            var body = webhook.Json;
            body.GetProperty("data").GetProperty("type").GetString().ShouldBe(webhook.Type);
            body.GetProperty("timestamp").GetString().ShouldBe(body.GetProperty("data").GetProperty("occurredAt").GetString());
        }

        // Every event reaches the receiver once: one delivery (and one webhook-id) per event.
        received.Select(r => r.MessageId).ShouldBeUnique();
        deliveries.Select(d => d.MessageId).Order().ShouldBe(received.Select(r => r.MessageId!).Order());
        deliveries.ShouldAllBe(d => d.AttemptCount == 1 && d.LastStatusCode == 200 && d.DeliveredAt != null);
    }

    [Fact]
    public async Task An_endpoint_filtered_to_succeeded_gets_only_that_event()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/done"), ["job.succeeded"], deadline.Token);

        var first = await tenant.SubmitQuickJobAsync(deadline.Token);
        var second = await tenant.SubmitQuickJobAsync(deadline.Token);
        var received = await receiver.WaitUntilAsync(
            r => For(r, first.Id).Any() && For(r, second.Id).Any(), "both jobs' job.succeeded", deadline.Token);

        received.Count.ShouldBe(2);
        received.ShouldAllBe(r => r.Type == "job.succeeded" && r.VerifyWith(endpoint.Secret).IsValid);
    }

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_event_on_the_third_attempt_with_the_same_id_and_body()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        receiver.Answer = (_, earlier) => earlier < 2 ? 500 : 200;
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/flaky"), ["job.succeeded"], deadline.Token);

        var job = await tenant.SubmitQuickJobAsync(deadline.Token);
        var received = await receiver.WaitUntilAsync(r => r.Any(x => x.Succeeded), "a 200 answer", deadline.Token);

        received.Select(r => r.AnsweredStatus).ShouldBe([500, 500, 200]);
        received.Select(r => r.MessageId).Distinct().Count().ShouldBe(1, "webhook-id is stable across retries");
        received.Select(r => r.BodyText).Distinct().Count().ShouldBe(1, "every retry sends the same bytes");
        received.ShouldAllBe(r => r.VerifyWith(endpoint.Secret).IsValid && r.JobId == job.Id);

        var delivery = (await tenant.WaitForDeliveriesAsync($"?jobId={job.Id}", d => d is [{ State: "succeeded" }], "succeeded", deadline.Token))[0];
        delivery.MessageId.ShouldBe(received[0].MessageId);
        var detail = await tenant.GetDeliveryAsync(delivery.Id, deadline.Token);
        detail.Delivery.AttemptCount.ShouldBe(3);
        detail.Attempts.Select(a => (a.Attempt, a.StatusCode)).ShouldBe([(1, (int?)500), (2, 500), (3, 200)]);
        detail.Attempts[0].ResponseExcerpt.ShouldBe("receiver failing on purpose");
        detail.Attempts[2].ResponseExcerpt.ShouldBe("ok");
        detail.Attempts.ShouldAllBe(a => a.LatencyMs >= 0 && a.Error == null);
        detail.Payload.GetProperty("type").GetString().ShouldBe("job.succeeded");
    }
}
