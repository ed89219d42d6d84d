using System.Net;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>GET /jobs/{id}/result: the result document itself once the job succeeded, a 404 problem until then.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class JobResultTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_succeeded_job_answers_its_result_document()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("result-succeeded", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.Steps(3, 20), deadline.Token);
        var job = await tenant.WaitForFinishAsync(submitted, deadline.Token);
        job.Status.ShouldBe("succeeded");

        using var response = await tenant.Api.GetAsync(submitted.Links.Result, deadline.Token);

        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var document = JsonDocument.Parse(text);
        document.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["stepsCompleted", "attempt", "elapsedMs"], ignoreOrder: true, text);
        var result = await response.ReadAsync<SimulateResult>(deadline.Token);
        result.StepsCompleted.ShouldBe(3);
        result.Attempt.ShouldBe(1);
        result.ElapsedMs.ShouldBeGreaterThanOrEqualTo(40);
        JsonElement.DeepEquals(document.RootElement, job.Result!.Value).ShouldBeTrue($"the result endpoint and the status disagree: {text} vs {job.Result}");
    }

    [Fact]
    public async Task An_unfinished_job_has_no_result_yet()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("result-unfinished", deadline.Token);
        var submitted = await tenant.SubmitHangingAsync(deadline.Token);

        using var response = await tenant.Api.GetAsync($"/jobs/{submitted.Id}/result", deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "result-not-available", deadline.Token);
    }

    [Fact]
    public async Task A_failed_job_has_no_result()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("result-failed", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        (await tenant.WaitForFinishAsync(submitted, deadline.Token)).Status.ShouldBe("failed");

        using var response = await tenant.Api.GetAsync($"/jobs/{submitted.Id}/result", deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "result-not-available", deadline.Token);
    }

    [Fact]
    public async Task An_unknown_job_has_no_result()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("result-unknown", deadline.Token);

        using var response = await tenant.Api.GetAsync($"/jobs/{Guid.CreateVersion7()}/result", deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
    }
}
