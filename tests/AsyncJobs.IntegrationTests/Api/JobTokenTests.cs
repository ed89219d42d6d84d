using System.Net;
using AsyncJobs.IntegrationTests.Scenarios;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>A job token (from the submit answer) reads its one job: status, result and events; it writes nothing and sees nothing else.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class JobTokenTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_job_token_reads_its_job_status_result_and_events()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("token-reads", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.Steps(2, 50), deadline.Token);
        using var api = ApiAs(submitted.JobToken);
        using var notifier = NotifierAs(submitted.JobToken);
        using var browser = AnonymousNotifier();

        // A browser's EventSource cannot send headers: the token rides in the query.
        var events = await JobEvents.ReadUntilTerminalAsync(browser, new Uri($"{submitted.Links.Events}?access_token={Uri.EscapeDataString(submitted.JobToken)}"), deadline.Token);
        events[^1].Type.ShouldBe("job.succeeded");
        // As a Bearer token too; a stream opened after the end starts from the job's current (terminal) state.
        var later = await JobEvents.ReadUntilTerminalAsync(notifier, new Uri(submitted.Links.Events), deadline.Token);
        later[^1].Type.ShouldBe("job.succeeded");
        later[^1].Id.ShouldBe(events[^1].Id);
        later.ShouldAllBe(e => e.Data.JobId == submitted.Id.ToString());

        using var job = await api.GetAsync($"/jobs/{submitted.Id}", deadline.Token);
        job.StatusCode.ShouldBe(HttpStatusCode.OK, await job.Content.ReadAsStringAsync(deadline.Token));
        (await job.ReadAsync<JobDocument>(deadline.Token)).Status.ShouldBe("succeeded");
        using var result = await api.GetAsync($"/jobs/{submitted.Id}/result", deadline.Token);
        result.StatusCode.ShouldBe(HttpStatusCode.OK, await result.Content.ReadAsStringAsync(deadline.Token));
        (await result.ReadAsync<SimulateResult>(deadline.Token)).StepsCompleted.ShouldBe(2);
    }

    [Fact]
    public async Task A_job_token_cannot_write_or_list()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("token-writes", deadline.Token);
        var submitted = await tenant.SubmitHangingAsync(deadline.Token);
        using var api = ApiAs(submitted.JobToken);

        using var submit = await api.PostAsync("/jobs", ApiJson.Body(DemoJobs.Quick()), deadline.Token);
        using var cancel = await api.PostAsync($"/jobs/{submitted.Id}/cancel", content: null, deadline.Token);
        using var retry = await api.PostAsync($"/jobs/{submitted.Id}/retry", content: null, deadline.Token);
        using var list = await api.GetAsync("/jobs", deadline.Token);

        await submit.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden", deadline.Token);
        await cancel.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden", deadline.Token);
        await retry.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden", deadline.Token);
        await list.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden", deadline.Token);
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1, "the token submitted nothing");
        (await tenant.GetJobAsync(submitted.Id, deadline.Token)).Status.ShouldBeOneOf(["queued", "running"], "the token cancelled nothing");
    }

    [Fact]
    public async Task A_job_token_does_not_open_another_job_of_the_same_tenant()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("token-other-job", deadline.Token);
        var mine = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var other = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        await tenant.WaitForFinishAsync(other, deadline.Token);
        using var api = ApiAs(mine.JobToken);
        using var notifier = NotifierAs(mine.JobToken);
        using var browser = AnonymousNotifier();

        using var status = await api.GetAsync($"/jobs/{other.Id}", deadline.Token);
        using var result = await api.GetAsync($"/jobs/{other.Id}/result", deadline.Token);
        using var events = await notifier.GetAsync(other.Links.Events, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var eventsByQuery = await browser.GetAsync($"{other.Links.Events}?access_token={Uri.EscapeDataString(mine.JobToken)}", HttpCompletionOption.ResponseHeadersRead, deadline.Token);

        await status.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await result.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await events.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        await eventsByQuery.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
    }

    [Fact]
    public async Task An_unknown_job_token_is_challenged()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("token-unknown", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        using var api = ApiAs("ajt_" + new string('0', 43));

        using var response = await api.GetAsync($"/jobs/{submitted.Id}", deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
    }

    [Fact]
    public async Task A_token_that_names_the_job_with_another_secret_is_challenged()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("token-forged", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        // The job's id as the token carries it, then 24 bytes that are not the job's secret.
        var forged = "ajt_" + Convert.ToBase64String([.. submitted.Id.ToByteArray(bigEndian: true), .. new byte[24]]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var api = ApiAs(forged);
        using var browser = AnonymousNotifier();

        using var status = await api.GetAsync($"/jobs/{submitted.Id}", deadline.Token);
        using var events = await browser.GetAsync($"{submitted.Links.Events}?access_token={forged}", HttpCompletionOption.ResponseHeadersRead, deadline.Token);

        await status.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        await events.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        forged.Length.ShouldBe(submitted.JobToken.Length, "shaped as a real token");
        forged[..25].ShouldBe(submitted.JobToken[..25], "the same job named, only the secret differs");
    }
}
