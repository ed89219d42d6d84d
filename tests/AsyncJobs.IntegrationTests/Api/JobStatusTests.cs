using System.Net;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>GET /jobs/{id}: everything a client needs about one job, and a 404 for anything that is not its job.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class JobStatusTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    private static readonly string[] Members =
    [
        "id", "type", "status", "priority", "attempt", "maxAttempts", "timeoutSeconds", "progress", "result", "error",
        "metadata", "createdAt", "startedAt", "finishedAt", "history", "links",
    ];

    [Fact]
    public async Task A_succeeded_job_shows_its_options_progress_result_and_history()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("status-succeeded", deadline.Token);
        var submitted = await tenant.SubmitAsync(
            DemoJobs.Steps(2, 100, "\"priority\":\"high\",\"timeoutSeconds\":45,\"maxAttempts\":4,\"metadata\":{\"orderId\":\"A-17\",\"lines\":3}"),
            deadline.Token);

        await tenant.WaitForFinishAsync(submitted, deadline.Token);
        using var response = await tenant.Api.GetAsync($"/jobs/{submitted.Id}", deadline.Token);

        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using (var document = JsonDocument.Parse(text))
        {
            var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            names.ShouldBeSubsetOf(Members, text);
            Members.ShouldBeSubsetOf(names, $"every member is present, null or not: {text}");
            document.RootElement.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        var job = await response.ReadAsync<JobDocument>(deadline.Token);
        job.Id.ShouldBe(submitted.Id);
        job.Type.ShouldBe("demo.simulate");
        job.Status.ShouldBe("succeeded");
        job.Priority.ShouldBe("high");
        job.Attempt.ShouldBe(1);
        job.MaxAttempts.ShouldBe(4);
        job.TimeoutSeconds.ShouldBe(45);
        job.Progress.Percent.ShouldBe(100);
        job.Progress.Message.ShouldNotBeNullOrWhiteSpace();
        job.Progress.Step.ShouldNotBeNullOrWhiteSpace();
        var result = job.Result.ShouldNotBeNull().Deserialize<SimulateResult>(ApiJson.Options).ShouldNotBeNull();
        result.StepsCompleted.ShouldBe(2);
        result.Attempt.ShouldBe(1);
        result.ElapsedMs.ShouldBeGreaterThanOrEqualTo(150, "two steps of 100 ms");
        var metadata = job.Metadata.ShouldNotBeNull();
        metadata.GetProperty("orderId").GetString().ShouldBe("A-17");
        metadata.GetProperty("lines").GetInt32().ShouldBe(3);

        job.CreatedAt.ShouldBe(submitted.CreatedAt);
        job.StartedAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(job.CreatedAt);
        job.FinishedAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(job.StartedAt.Value);
        job.History.Select(h => h.Status).ShouldBe(["queued", "running", "succeeded"]);
        job.History[1].Attempt.ShouldBe(1);
        job.History[2].Attempt.ShouldBe(1);
        job.History.Zip(job.History.Skip(1)).ShouldAllBe(pair => pair.First.At <= pair.Second.At);
        job.History[0].At.ShouldBe(job.CreatedAt, TimeSpan.FromSeconds(1));
        job.History[^1].At.ShouldBe(job.FinishedAt.Value, TimeSpan.FromSeconds(1));
        job.Links.ShouldBe(submitted.Links);
    }

    [Fact]
    public async Task A_failed_job_shows_its_error()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("status-failed", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);

        var job = await tenant.WaitForFinishAsync(submitted, deadline.Token);

        job.Status.ShouldBe("failed");
        job.Result.ShouldBeNull();
        var error = job.Error.ShouldNotBeNull();
        error.ValueKind.ShouldBe(JsonValueKind.Object);
        error.GetProperty("type").GetString().ShouldBe("simulated_failure");
        error.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
        error.GetProperty("retryable").GetBoolean().ShouldBeFalse();
        job.Attempt.ShouldBe(1);
        job.FinishedAt.ShouldNotBeNull();
        job.History.Select(h => h.Status).ShouldBe(["queued", "running", "failed"]);
    }

    [Fact]
    public async Task An_unknown_job_is_not_found()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("status-unknown", deadline.Token);

        using var unknown = await tenant.Api.GetAsync($"/jobs/{Guid.CreateVersion7()}", deadline.Token);
        using var notAGuid = await tenant.Api.GetAsync("/jobs/not-a-job-id", deadline.Token);

        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
        notAGuid.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
