using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>A tenant at its bound of unfinished jobs gets 503 with Retry-After instead of a growing backlog, until one finishes.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class AdmissionControlTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_tenant_at_its_in_flight_bound_is_turned_away_until_a_job_finishes()
    {
        using var deadline = StartDeadline();
        // A generous rate so that polling for re-admission below is never mistaken for a burst.
        await using var tenant = await NewTenantAsync("admission", deadline.Token, submissionsPerMinute: 120, maxInFlight: 2);
        await using var neighbour = await NewTenantAsync("admission-neighbour", deadline.Token);
        var first = await tenant.SubmitHangingAsync(deadline.Token);
        await tenant.SubmitHangingAsync(deadline.Token);

        using var third = await tenant.PostJobAsync(DemoJobs.Quick(), deadline.Token);

        await third.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "backlog-full", deadline.Token);
        third.ShouldHaveRetryAfterSeconds();
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(2, "the refused submission wrote nothing");
        using var elsewhere = await neighbour.PostJobAsync(DemoJobs.Quick(), deadline.Token);
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Accepted, "the bound is per tenant");

        using var cancel = await tenant.CancelAsync(first.Id, deadline.Token);
        cancel.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);

        // The in-flight count may lag the cancellation by about a second.
        var admitted = await SubmitUntilAdmittedAsync(tenant, first.Id, deadline.Token);
        admitted.Status.ShouldBe("queued");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(3);
    }

    private static async Task<SubmittedJob> SubmitUntilAdmittedAsync(TestTenant tenant, Guid cancelled, CancellationToken cancellationToken)
    {
        var refusals = 0;
        while (true)
        {
            using var response = await tenant.PostJobAsync(DemoJobs.Quick(), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return await response.ReadAsync<SubmittedJob>(cancellationToken);
            }

            await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "backlog-full", cancellationToken);
            if (++refusals == 50)
            {
                throw new ShouldAssertException($"Still refused 10 s after a job was cancelled; the cancelled job is now: {await tenant.DescribeAsync(cancelled)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}
