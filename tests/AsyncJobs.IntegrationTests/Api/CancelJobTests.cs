using System.Net;
using AsyncJobs.IntegrationTests.Scenarios;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>POST /jobs/{id}/cancel: a waiting job is cancelled at once, a running one is asked to stop, a finished one cannot be.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class CancelJobTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_job_cancelled_right_after_submission_ends_cancelled()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("cancel-early", deadline.Token);
        var submitted = await tenant.SubmitAsync(DemoJobs.Steps(20, 500, "\"priority\":\"low\""), deadline.Token);

        using var response = await tenant.Api.PostAsync(submitted.Links.Cancel, content: null, deadline.Token);

        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Accepted], text);
        var answer = await response.ReadAsync<JobDocument>(deadline.Token);
        answer.Id.ShouldBe(submitted.Id);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            answer.Status.ShouldBe("cancelled", $"200 means it was cancelled before it started: {text}");
            answer.FinishedAt.ShouldNotBeNull(text);
        }
        else
        {
            answer.Status.ShouldBe("running", $"202 means it had started and was asked to stop: {text}");
        }

        var job = await tenant.WaitForFinishAsync(submitted, deadline.Token);
        job.Status.ShouldBe("cancelled");
        job.FinishedAt.ShouldNotBeNull();
        job.Result.ShouldBeNull();
        job.History[^1].Status.ShouldBe("cancelled");
    }

    [Fact]
    public async Task A_running_job_is_asked_to_stop_and_ends_cancelled()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("cancel-running", deadline.Token);
        var submitted = await tenant.SubmitHangingAsync(deadline.Token);
        var seen = new List<string>();
        HttpResponseMessage? cancel = null;
        DateTimeOffset cancelledAt = default;

        try
        {
            try
            {
                // From the start of the history ("0"): without it the stream opens with the job's current state, which is
                // already its hang progress (not job.running) when the worker picks the job up before the stream opens.
                await foreach (var e in JobEvents.ReadAsync(tenant.Notifier, new Uri(submitted.Links.Events), lastEventId: "0", deadline.Token))
                {
                    seen.Add(e.Type);
                    if (e.Type == "job.running" && cancel is null)
                    {
                        cancelledAt = DateTimeOffset.UtcNow;
                        cancel = await tenant.CancelAsync(submitted.Id, deadline.Token);
                    }

                    if (e.IsTerminal)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new ShouldAssertException(
                    $"The job did not end before the deadline. Events: {string.Join(", ", seen)}; " +
                    $"cancel answered {(int?)cancel?.StatusCode}; now: {await tenant.DescribeAsync(submitted.Id)}");
            }

            cancel.ShouldNotBeNull($"the job never ran; events: {string.Join(", ", seen)}");
            var text = await cancel.Content.ReadAsStringAsync(deadline.Token);
            cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
            var answer = await cancel.ReadAsync<JobDocument>(deadline.Token);
            answer.Id.ShouldBe(submitted.Id);
            answer.Status.ShouldBe("running", $"the handler has not stopped yet when the request is accepted: {text}");
        }
        finally
        {
            cancel?.Dispose();
        }

        seen[^1].ShouldBe("job.cancelled", string.Join(", ", seen));
        var job = await tenant.GetJobAsync(submitted.Id, deadline.Token);
        job.Status.ShouldBe("cancelled");
        job.Attempt.ShouldBe(1);
        job.FinishedAt.ShouldNotBeNull().ShouldBeLessThan(cancelledAt.AddSeconds(10), "the handler stops shortly after the request");
        job.History.Select(h => h.Status).ShouldBe(["queued", "running", "cancelled"]);
    }

    [Fact]
    public async Task A_finished_job_cannot_be_cancelled()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("cancel-finished", deadline.Token);
        var succeeded = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var failed = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        var cancelled = await tenant.SubmitHangingAsync(deadline.Token);
        (await tenant.WaitForFinishAsync(succeeded, deadline.Token)).Status.ShouldBe("succeeded");
        (await tenant.WaitForFinishAsync(failed, deadline.Token)).Status.ShouldBe("failed");
        using (var first = await tenant.CancelAsync(cancelled.Id, deadline.Token))
        {
            first.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);
        }

        (await tenant.WaitForFinishAsync(cancelled, deadline.Token)).Status.ShouldBe("cancelled");

        foreach (var (job, status) in new[] { (succeeded, "succeeded"), (failed, "failed"), (cancelled, "cancelled") })
        {
            using var response = await tenant.CancelAsync(job.Id, deadline.Token);
            await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "job-already-finished", deadline.Token);
            (await tenant.GetJobAsync(job.Id, deadline.Token)).Status.ShouldBe(status, "a refused cancel changes nothing");
        }
    }

    [Fact]
    public async Task An_unknown_job_cannot_be_cancelled()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("cancel-unknown", deadline.Token);

        using var response = await tenant.CancelAsync(Guid.CreateVersion7(), deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "job-not-found", deadline.Token);
    }
}
