using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>POST /jobs/{id}/retry: a dead-lettered job is queued again and runs again; nothing else can be retried.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class RetryJobTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_failed_job_is_queued_again_and_runs_again()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("retry-failed", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        (await tenant.WaitForFinishAsync(submitted, deadline.Token)).Status.ShouldBe("failed");

        using var response = await tenant.RetryAsync(submitted.Id, deadline.Token);

        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        var answer = await response.ReadAsync<JobDocument>(deadline.Token);
        answer.Id.ShouldBe(submitted.Id);
        answer.Status.ShouldBe("queued", text);
        answer.FinishedAt.ShouldBeNull($"a queued job is not finished: {text}");

        // It fails again (alwaysFail); its history keeps the first run.
        var job = await tenant.WaitUntilAsync(submitted.Id, j => j.Status == "failed" && j.History.Count(h => h.Status == "failed") == 2, "failed twice", deadline.Token);
        var statuses = job.History.Select(h => h.Status).ToList();
        statuses.ShouldBe(["queued", "running", "failed", "queued", "running", "failed"], string.Join(", ", statuses));
        job.History.Zip(job.History.Skip(1)).ShouldAllBe(pair => pair.First.At <= pair.Second.At);
        job.FinishedAt.ShouldNotBeNull().ShouldBeGreaterThan(job.History[2].At);
        job.Error.ShouldNotBeNull().GetProperty("type").GetString().ShouldBe("simulated_failure");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1, "a retry re-runs the job; it does not copy it");
    }

    [Fact]
    public async Task A_job_that_has_not_failed_cannot_be_retried()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("retry-not-failed", deadline.Token);
        var succeeded = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var unfinished = await tenant.SubmitHangingAsync(deadline.Token);
        var cancelled = await tenant.SubmitHangingAsync(deadline.Token);
        (await tenant.WaitForFinishAsync(succeeded, deadline.Token)).Status.ShouldBe("succeeded");
        using (var cancel = await tenant.CancelAsync(cancelled.Id, deadline.Token))
        {
            cancel.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);
        }

        (await tenant.WaitForFinishAsync(cancelled, deadline.Token)).Status.ShouldBe("cancelled");
        await tenant.WaitUntilAsync(unfinished.Id, j => j.Status == "running", "running", deadline.Token);

        foreach (var job in new[] { succeeded, unfinished, cancelled })
        {
            var before = await tenant.GetJobAsync(job.Id, deadline.Token);
            using var response = await tenant.RetryAsync(job.Id, deadline.Token);
            await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "job-not-failed", deadline.Token);
            var after = await tenant.GetJobAsync(job.Id, deadline.Token);
            after.History.Count.ShouldBe(before.History.Count, $"a refused retry of a {before.Status} job changes nothing");
        }
    }

    [Fact]
    public async Task An_unknown_job_cannot_be_retried()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("retry-unknown", deadline.Token);

        using var response = await tenant.RetryAsync(Guid.CreateVersion7(), deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
    }
}
