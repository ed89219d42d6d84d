namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class TwoNotifierTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    private const int Jobs = 12;

    [Fact]
    public async Task With_two_notifiers_each_attempt_reaches_the_receiver_exactly_once()
    {
        // The second notifier's start-up (a process, its JIT, its connections) has a deadline of its own, so a loaded
        // machine's slow start does not eat into the deliveries' time: a CI run saw the last retry fall due after 45 s.
        using (var startup = StartDeadline())
        {
            await Fixture.StartSecondNotifierAsync(startup.Token);
        }

        using var deadline = StartDeadline();
        try
        {
            using var tenant = await Fixture.NewTenantAsync(deadline.Token);
            await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
            // Every first attempt fails, so each delivery is claimed twice: both claims race across the two notifiers.
            receiver.Answer = (_, earlier) => earlier == 0 ? 503 : 200;
            var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/replicas"), eventTypes: null, deadline.Token);

            var jobs = new List<Guid>();
            for (var i = 0; i < Jobs; i++)
            {
                jobs.Add((await tenant.SubmitQuickJobAsync(deadline.Token)).Id);
            }

            await receiver.WaitUntilAsync(r => jobs.All(j => For(r, j, "job.succeeded").Any(x => x.Succeeded)), "every job.succeeded delivered", deadline.Token);
            var deliveries = await tenant.WaitForDeliveriesAsync(
                $"?endpointId={endpoint.Id}&limit=100", d => d.Length > 0 && d.All(x => x.State == "succeeded"), "all succeeded", deadline.Token);

            var received = receiver.Received;
            var byId = received.GroupBy(r => r.MessageId!).ToDictionary(g => g.Key, g => g.ToList());
            byId.Keys.Order().ShouldBe(deliveries.Select(d => d.MessageId).Order(), "one webhook-id per delivery, nothing else");
            foreach (var delivery in deliveries)
            {
                var requests = byId[delivery.MessageId];
                requests.Select(r => r.AnsweredStatus).ShouldBe([503, 200], $"delivery {delivery.Id}");
                delivery.AttemptCount.ShouldBe(2);
            }

            received.ShouldAllBe(r => r.VerifyWith(endpoint.Secret).IsValid);
        }
        finally
        {
            await Fixture.StopSecondNotifierAsync();
        }
    }
}
