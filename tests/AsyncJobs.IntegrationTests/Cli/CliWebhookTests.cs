using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Cli;

/// <summary><c>asyncjobs webhooks ...</c>: add an endpoint, see it and its deliveries, remove it.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class CliWebhookTests(LocalTopologyFixture fixture) : CliScenario(fixture)
{
    [Fact]
    public async Task An_endpoint_is_added_listed_with_its_deliveries_and_removed()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-webhooks", deadline.Token);

        // Loopback receivers are allowed in Development, as the test topology runs; nothing listens on port 9.
        var add = (await RunAsync(tenant, deadline.Token, "webhooks", "add", "http://127.0.0.1:9/hooks", "--event", "job.succeeded", "--description", "cli test", "--json")).ShouldExitWith(0);
        using var created = JsonDocument.Parse(add.Stdout);
        var endpointId = created.RootElement.GetProperty("id").GetGuid();
        created.RootElement.GetProperty("secret").GetString().ShouldStartWith("whsec_");

        var list = (await RunAsync(tenant, deadline.Token, "webhooks", "list")).ShouldExitWith(0);
        list.Stdout.ShouldContain(endpointId.ToString(), Case.Sensitive, list.ToString());
        list.Stdout.ShouldContain("http://127.0.0.1:9/hooks", Case.Sensitive, list.ToString());
        list.Stdout.ShouldContain("job.succeeded", Case.Sensitive, list.ToString());

        var job = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "-p", """{"steps":1,"stepDurationMs":0}""", "--wait")).ShouldExitWith(0);
        var jobId = SubmittedJobId(job);
        var deliveries = (await RunAsync(tenant, deadline.Token, "webhooks", "deliveries", "--job", jobId.ToString(), "--json")).ShouldExitWith(0);
        using (var items = JsonDocument.Parse(deliveries.Stdout))
        {
            var delivery = items.RootElement.EnumerateArray().ShouldHaveSingleItem(deliveries.ToString());
            delivery.GetProperty("endpointId").GetGuid().ShouldBe(endpointId);
            delivery.GetProperty("eventType").GetString().ShouldBe("job.succeeded");
            var shown = (await RunAsync(tenant, deadline.Token, "webhooks", "delivery", delivery.GetProperty("id").GetString()!)).ShouldExitWith(0);
            shown.Stdout.ShouldContain(jobId.ToString(), Case.Sensitive, shown.ToString());
        }

        var remove = (await RunAsync(tenant, deadline.Token, "webhooks", "remove", endpointId.ToString())).ShouldExitWith(0);
        remove.Stdout.ShouldContain($"Removed webhook endpoint {endpointId}", Case.Sensitive, remove.ToString());
        var empty = (await RunAsync(tenant, deadline.Token, "webhooks", "list", "--json")).ShouldExitWith(0);
        using var none = JsonDocument.Parse(empty.Stdout);
        none.RootElement.GetArrayLength().ShouldBe(0);
    }
}
