using System.Net;
using System.Net.Http.Headers;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Polling is cheap: a weak ETag answers 304 while nothing changed, and Retry-After says when to ask again until the job ends.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class JobStatusCachingTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task An_unchanged_job_answers_304_to_its_etag()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("etag-unchanged", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        await tenant.WaitForFinishAsync(submitted, deadline.Token);

        using var first = await tenant.Api.GetAsync($"/jobs/{submitted.Id}", deadline.Token);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var etag = first.Headers.ETag.ShouldNotBeNull("GET /jobs/{id} has no ETag");
        etag.IsWeak.ShouldBeTrue($"ETag {etag} should be weak");

        using var conditional = await GetIfNoneMatchAsync(tenant, submitted.Id, etag, deadline.Token);

        conditional.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await conditional.Content.ReadAsByteArrayAsync(deadline.Token)).ShouldBeEmpty();
        conditional.Headers.ETag.ShouldBe(etag);

        using var other = await GetIfNoneMatchAsync(tenant, submitted.Id, new EntityTagHeaderValue("\"not-this-one\"", isWeak: true), deadline.Token);
        other.StatusCode.ShouldBe(HttpStatusCode.OK, "a different ETag is not a match");
    }

    [Fact]
    public async Task A_job_that_changed_answers_200_with_a_new_etag_and_stops_asking_to_retry_after_it_ends()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("etag-changed", deadline.Token);
        var submitted = await tenant.SubmitHangingAsync(deadline.Token);

        using var unfinished = await tenant.Api.GetAsync($"/jobs/{submitted.Id}", deadline.Token);
        unfinished.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unfinished.ReadAsync<JobDocument>(deadline.Token)).Status.ShouldBeOneOf("queued", "running");
        unfinished.ShouldHaveRetryAfterSeconds().ShouldBe(1);
        var before = unfinished.Headers.ETag.ShouldNotBeNull();

        using var cancel = await tenant.CancelAsync(submitted.Id, deadline.Token);
        cancel.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);
        await tenant.WaitForFinishAsync(submitted, deadline.Token);

        using var changed = await GetIfNoneMatchAsync(tenant, submitted.Id, before, deadline.Token);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, "the job changed since that ETag");
        (await changed.ReadAsync<JobDocument>(deadline.Token)).Status.ShouldBe("cancelled");
        var after = changed.Headers.ETag.ShouldNotBeNull();
        after.ShouldNotBe(before);
        changed.Headers.Contains("Retry-After").ShouldBeFalse("a finished job has nothing more to wait for");

        using var unchanged = await GetIfNoneMatchAsync(tenant, submitted.Id, after, deadline.Token);
        unchanged.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    private static async Task<HttpResponseMessage> GetIfNoneMatchAsync(TestTenant tenant, Guid id, EntityTagHeaderValue etag, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/jobs/{id}");
        request.Headers.IfNoneMatch.Add(etag);
        return await tenant.Api.SendAsync(request, cancellationToken);
    }
}
