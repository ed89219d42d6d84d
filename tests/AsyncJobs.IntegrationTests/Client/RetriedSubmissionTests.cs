using System.Text.Json;
using AsyncJobs.Client;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.IntegrationTests.Topology;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static AsyncJobs.IntegrationTests.Client.FailingProxy;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// The client as an application registers it (AddAsyncJobsClient, configuration section AsyncJobs, the standard
/// resilience handler) behind a proxy that loses the API's first answer after the API has accepted the job: the
/// resilience handler retries the POST, and the idempotency key makes that retry return the same job.
/// </summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class RetriedSubmissionTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Theory]
    [InlineData(ProxyFault.DropConnectionAfterForwarding)]
    [InlineData(ProxyFault.ServerErrorAfterForwarding)]
    public async Task A_submission_retried_after_a_lost_answer_creates_one_job(ProxyFault fault)
    {
        using var deadline = StartDeadline(TimeSpan.FromSeconds(60));
        await using var tenant = await NewTenantAsync("client-retried-submit", deadline.Token);
        await using var proxy = await FailingProxy.StartAsync(Topology.ApiUrl, deadline.Token);
        proxy.Fault = (index, request) => index == 0 && HttpMethods.IsPost(request.Method) ? fault : ProxyFault.None;
        await using var services = Services(proxy.Url, tenant.ApiKey);
        var client = services.GetRequiredService<AsyncJobsClient>();

        var handle = await client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);

        var posts = proxy.Forwarded.Where(r => r.Method == "POST").ToList();
        posts.Count.ShouldBe(2, "the lost answer was retried once");
        posts[0].Fault.ShouldBe(fault);
        posts[0].UpstreamStatus.ShouldBe(202, $"{posts[0].UpstreamBody}\n{Topology.OutputTail("api")}");
        posts.Select(p => p.IdempotencyKey).Distinct().ShouldBe([handle.IdempotencyKey], "one key for the logical call");
        JsonDocument.Parse(posts[0].UpstreamBody).RootElement.GetProperty("id").GetGuid().ShouldBe(handle.Id, "both answers name the same job");
        handle.Replayed.ShouldBeTrue();
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
        (await client.ListAsync(cancellationToken: deadline.Token).ToListAsync(deadline.Token)).Select(j => j.Id).ShouldBe([handle.Id]);
    }

    [Fact]
    public async Task Two_logical_submissions_are_two_jobs()
    {
        using var deadline = StartDeadline(TimeSpan.FromSeconds(60));
        await using var tenant = await NewTenantAsync("client-two-submits", deadline.Token);
        await using var services = Services(Topology.ApiUrl, tenant.ApiKey);
        var client = services.GetRequiredService<AsyncJobsClient>();

        var first = await client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);
        var second = await client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);

        second.Id.ShouldNotBe(first.Id);
        second.IdempotencyKey.ShouldNotBe(first.IdempotencyKey);
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(2);
    }

    private static ServiceProvider Services(Uri api, string apiKey)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AsyncJobs:BaseAddress"] = api.ToString(),
                ["AsyncJobs:ApiKey"] = apiKey,
            })
            .Build());
        services.AddAsyncJobsClient();
        return services.BuildServiceProvider();
    }
}
