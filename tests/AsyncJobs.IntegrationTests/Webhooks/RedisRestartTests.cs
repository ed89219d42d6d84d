using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>Webhooks are fed from PostgreSQL, not Redis: Redis going down mid-job delays no event and loses none.</summary>
[Collection(WebhookCollectionDefinition.Name)]
public sealed class RedisRestartTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    [Fact]
    public async Task Redis_stopped_and_restarted_mid_job_loses_no_webhook()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await tenant.CreateEndpointAsync(receiver.Url("/hooks/redis"), eventTypes: null, deadline.Token);

        var body = new Dictionary<string, object> { ["type"] = "demo.simulate", ["payload"] = new { steps = 10, stepDurationMs = 300 } };
        using var response = await tenant.Api.PostAsync("/jobs", WebhookJson.Body(body), deadline.Token);
        var job = await response.ReadAsync<SubmittedJob>(HttpStatusCode.Accepted, deadline.Token);

        await receiver.WaitUntilAsync(r => For(r, job.Id, "job.progress").Any(), "the first job.progress", deadline.Token);
        await InfraScript.RunAsync("redis-stop", Fixture.Topology, deadline.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token); // Redis stays down while the job reports progress.
        await InfraScript.RunAsync("redis-start", Fixture.Topology, deadline.Token);

        var received = await receiver.WaitUntilAsync(r => For(r, job.Id, "job.succeeded").Any(), "job.succeeded", deadline.Token);
        var deliveries = await tenant.WaitForDeliveriesAsync(
            $"?jobId={job.Id}", d => d.Any(x => x.EventType == "job.succeeded") && d.All(x => x.State == "succeeded"), "all delivered", deadline.Token);

        // One delivery per event, every sequence from 1 to the terminal one, each verified.
        var sequences = For(received, job.Id).Select(r => r.Json.GetProperty("data").GetProperty("sequence").GetInt64()).Distinct().Order().ToList();
        sequences.ShouldBe(Enumerable.Range(1, sequences.Count).Select(i => (long)i));
        deliveries.Length.ShouldBe(sequences.Count);
        For(received, job.Id).ShouldAllBe(r => r.VerifyWith(endpoint.Secret).IsValid);
    }
}
