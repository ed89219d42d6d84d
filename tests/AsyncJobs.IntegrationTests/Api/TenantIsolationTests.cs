using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Two tenants cannot see or touch each other's jobs: another tenant's job is a 404, never a 403 that leaks it exists.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class TenantIsolationTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task Another_tenants_job_is_not_found_anywhere()
    {
        using var deadline = StartDeadline();
        await using var owner = await NewTenantAsync("isolation-owner", deadline.Token);
        await using var stranger = await NewTenantAsync("isolation-stranger", deadline.Token);
        var finished = await owner.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var failed = await owner.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        var running = await owner.SubmitHangingAsync(deadline.Token);
        await owner.WaitForFinishAsync(finished, deadline.Token);
        await owner.WaitForFinishAsync(failed, deadline.Token);

        using var status = await stranger.Api.GetAsync($"/jobs/{finished.Id}", deadline.Token);
        using var result = await stranger.Api.GetAsync($"/jobs/{finished.Id}/result", deadline.Token);
        using var cancel = await stranger.CancelAsync(running.Id, deadline.Token);
        using var retry = await stranger.RetryAsync(failed.Id, deadline.Token);
        using var events = await stranger.Notifier.GetAsync(finished.Links.Events, HttpCompletionOption.ResponseHeadersRead, deadline.Token);

        await status.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await result.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await cancel.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await retry.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await events.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);

        // The stranger's attempts changed nothing, and the owner still sees everything.
        (await owner.GetJobAsync(running.Id, deadline.Token)).Status.ShouldBeOneOf("queued", "running");
        (await owner.GetJobAsync(failed.Id, deadline.Token)).Status.ShouldBe("failed");
        using var ownResult = await owner.Api.GetAsync($"/jobs/{finished.Id}/result", deadline.Token);
        ownResult.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_tenant_lists_only_its_own_jobs()
    {
        using var deadline = StartDeadline();
        await using var first = await NewTenantAsync("isolation-list-a", deadline.Token);
        await using var second = await NewTenantAsync("isolation-list-b", deadline.Token);
        var a1 = await first.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var b1 = await second.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var a2 = await first.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        var b2 = await second.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        await first.WaitForFinishAsync(a2, deadline.Token);
        await second.WaitForFinishAsync(b2, deadline.Token);

        (await first.ListAsync(string.Empty, deadline.Token)).Items.Select(j => j.Id).ShouldBe([a2.Id, a1.Id]);
        (await second.ListAsync(string.Empty, deadline.Token)).Items.Select(j => j.Id).ShouldBe([b2.Id, b1.Id]);
        (await first.ListAsync("?state=failed", deadline.Token)).Items.Select(j => j.Id).ShouldBe([a2.Id]);
        (await second.ListAsync("?state=failed", deadline.Token)).Items.Select(j => j.Id).ShouldBe([b2.Id]);
        (await first.ListAsync("?limit=1", deadline.Token)).NextCursor.ShouldNotBeNull();
        var secondPage = await first.ListAsync(
            $"?limit=1&cursor={Uri.EscapeDataString((await first.ListAsync("?limit=1", deadline.Token)).NextCursor!)}", deadline.Token);
        secondPage.Items.Select(j => j.Id).ShouldBe([a1.Id], "a cursor walks the caller's own jobs only");
    }
}
