using Npgsql;

namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class EndpointDisablingTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    [Fact]
    public async Task An_endpoint_failing_longer_than_allowed_is_disabled_with_a_reason_and_can_be_enabled_again()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        receiver.Answer = (_, _) => 500;
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/broken"), ["job.succeeded"], deadline.Token);
        // Five days of failures (the default limit) are not waited for: the endpoint's failure clock is set back instead.
        await SetFailingSinceAsync(endpoint.Id, DateTimeOffset.UtcNow.AddDays(-6), deadline.Token);

        var job = await tenant.SubmitQuickJobAsync(deadline.Token);
        await receiver.WaitUntilAsync(r => For(r, job.Id).Any(), "one failing attempt", deadline.Token);
        var disabled = await WaitForEndpointAsync(tenant, endpoint.Id, e => !e.Enabled, deadline.Token);

        disabled.DisabledReason.ShouldNotBeNull().ShouldContain("HTTP 500");
        var deadLetters = await tenant.WaitForDeliveriesAsync($"?jobId={job.Id}", d => d is [{ State: "failed" }], "dead-lettered", deadline.Token);
        var attempts = (await tenant.GetDeliveryAsync(deadLetters[0].Id, deadline.Token)).Attempts;
        attempts[^1].Error.ShouldNotBeNull().ShouldContain("disabled");
        For(receiver.Received, job.Id).Count().ShouldBe(1, "nothing is sent to a disabled endpoint");

        receiver.Answer = (_, _) => 200;
        using (var enable = await tenant.Api.PostAsync($"/webhooks/endpoints/{endpoint.Id}/enable", null, deadline.Token))
        {
            var enabled = await enable.ReadAsync<EndpointView>(System.Net.HttpStatusCode.OK, deadline.Token);
            enabled.Enabled.ShouldBeTrue();
            enabled.DisabledReason.ShouldBeNull();
            enabled.FailingSince.ShouldBeNull();
        }

        using var redeliver = await tenant.Api.PostAsync($"/webhooks/deliveries/{deadLetters[0].Id}/redeliver", null, deadline.Token);
        redeliver.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        await receiver.WaitUntilAsync(r => For(r, job.Id).Any(x => x.Succeeded), "the redelivery", deadline.Token);
    }

    private async Task SetFailingSinceAsync(Guid endpointId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Fixture.Topology.JobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE webhook_endpoints SET failing_since = @since WHERE id = @id", connection);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("id", endpointId);
        (await command.ExecuteNonQueryAsync(cancellationToken)).ShouldBe(1);
    }

    private static async Task<EndpointView> WaitForEndpointAsync(WebhookTenant tenant, Guid id, Func<EndpointView, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var endpoint = await tenant.GetEndpointAsync(id, cancellationToken);
            if (condition(endpoint))
            {
                return endpoint;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
