using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>
/// A client that lost the 202 and retries with its Idempotency-Key must get its job back, even when the tenant is at its
/// in-flight bound: the original job is what fills the bound, and the replay adds nothing to it.
/// </summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class IdempotentReplayUnderLimitsTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_replay_is_answered_even_when_the_tenant_is_at_its_in_flight_bound()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-at-bound", deadline.Token, maxInFlight: 1);
        var key = $"lost-answer-{Guid.NewGuid():N}";
        var body = DemoJobs.Hanging();
        using var first = await tenant.PostJobAsync(body, deadline.Token, key);
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync(deadline.Token));
        var original = await first.ReadAsync<SubmittedJob>(deadline.Token);
        try
        {
            using var fresh = await tenant.PostJobAsync(DemoJobs.Quick(), deadline.Token);
            await fresh.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "backlog-full", deadline.Token);

            using var replay = await tenant.PostJobAsync(body, deadline.Token, key);

            replay.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"the replay of job {original.Id}: {await replay.Content.ReadAsStringAsync(deadline.Token)}");
            replay.Headers.GetValues("Idempotent-Replayed").ShouldHaveSingleItem().ShouldBe("true");
            (await replay.ReadAsync<SubmittedJob>(deadline.Token)).ShouldBe(original);
            (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
        }
        finally
        {
            using var _ = await tenant.CancelAsync(original.Id, TestContext.Current.CancellationToken);
        }
    }
}
