using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Per-tenant submission rate: past its limit a tenant gets 429 with Retry-After; other tenants do not notice.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class RateLimitTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_tenant_over_its_submissions_per_minute_is_told_when_to_come_back()
    {
        using var deadline = StartDeadline();
        await using var limited = await NewTenantAsync("rate-limited", deadline.Token, submissionsPerMinute: 5);
        await using var neighbour = await NewTenantAsync("rate-neighbour", deadline.Token);

        for (var i = 1; i <= 5; i++)
        {
            using var accepted = await limited.PostJobAsync(DemoJobs.Quick(), deadline.Token);
            accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"submission {i} of 5: {await accepted.Content.ReadAsStringAsync(deadline.Token)}");
        }

        using var sixth = await limited.PostJobAsync(DemoJobs.Quick(), deadline.Token);

        await sixth.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited", deadline.Token);
        sixth.ShouldHaveRetryAfterSeconds().ShouldBeLessThanOrEqualTo(60, "a per-minute window frees a slot within a minute");
        (await Rows.CountJobsAsync(limited.Id, deadline.Token)).ShouldBe(5, "the rejected submission wrote nothing");

        using var seventh = await limited.PostJobAsync(DemoJobs.Quick(), deadline.Token);
        await seventh.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited", deadline.Token);

        using var other = await neighbour.PostJobAsync(DemoJobs.Quick(), deadline.Token);
        other.StatusCode.ShouldBe(HttpStatusCode.Accepted, "another tenant has its own budget");
        (await Rows.CountJobsAsync(neighbour.Id, deadline.Token)).ShouldBe(1);
    }

    [Fact]
    public async Task Reading_is_not_limited_by_the_submission_rate()
    {
        using var deadline = StartDeadline();
        await using var limited = await NewTenantAsync("rate-reads", deadline.Token, submissionsPerMinute: 1);
        var job = await limited.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        using var refused = await limited.PostJobAsync(DemoJobs.Quick(), deadline.Token);
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited", deadline.Token);

        for (var i = 0; i < 5; i++)
        {
            (await limited.GetJobAsync(job.Id, deadline.Token)).Id.ShouldBe(job.Id);
            (await limited.ListAsync(string.Empty, deadline.Token)).Items.ShouldHaveSingleItem().Id.ShouldBe(job.Id);
        }
    }
}
