using System.Text.Json;
using AsyncJobs.Client;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Jobs;
using AsyncJobs.Client.Problems;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>The typed client against the real API and notifier: submit, stream, wait, result, list, cancel, retry, problems.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class ClientJobTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_job_is_submitted_streamed_waited_for_and_its_result_read()
    {
        using var deadline = StartDeadline(Deadline);
        await using var tenant = await NewTenantAsync("client-lifecycle", deadline.Token);
        using var session = Session(tenant);

        var handle = await session.Client.SubmitAsync("demo.simulate", new { steps = 4, stepDurationMs = 100 }, cancellationToken: deadline.Token);
        handle.Status.ShouldBe(JobStatus.Queued);
        handle.JobToken.ShouldStartWith("ajt_");
        handle.IdempotencyKey.ShouldNotBeNullOrEmpty();
        handle.Replayed.ShouldBeFalse();

        var events = new List<JobEvent>();
        await foreach (var jobEvent in session.Client.StreamAsync(handle, StreamPosition.Beginning, deadline.Token))
        {
            events.Add(jobEvent);
        }

        events.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, events.Count));
        events.ShouldAllBe(e => e.JobId == handle.Id);
        events[0].Type.ShouldBe(JobEventTypes.Queued);
        events.ShouldContain(e => e.Type == JobEventTypes.Progress && e.Progress != null && e.Progress.Percent > 0);
        events[^1].Type.ShouldBe(JobEventTypes.Succeeded);
        events[^1].IsTerminal.ShouldBeTrue();

        var job = await session.Client.WaitAsync(handle, deadline.Token);
        job.Status.ShouldBe(JobStatus.Succeeded);
        job.Progress.Percent.ShouldBe(100);
        job.History.Select(h => h.Status).ShouldBe([JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded]);

        // By id alone (the events link comes from GET /jobs/{id}): the whole history again, or just the current state.
        var replay = await session.Client.StreamAsync(handle.Id, StreamPosition.Beginning, deadline.Token).ToListAsync(deadline.Token);
        replay.Select(e => (e.Sequence, e.Type)).ShouldBe(events.Select(e => (e.Sequence, e.Type)));
        (await session.Client.StreamAsync(handle.Id, cancellationToken: deadline.Token).ToListAsync(deadline.Token))
            .ShouldHaveSingleItem().Type.ShouldBe(JobEventTypes.Succeeded);

        var result = await session.Client.GetResultAsync<JsonElement>(handle.Id, deadline.Token);
        result.ValueKind.ShouldBe(JsonValueKind.Object);
        result.ShouldBe(job.Result.ShouldNotBeNull(), new JsonElementTextComparer());
    }

    [Fact]
    public async Task Listing_follows_every_page_newest_first_with_the_filters()
    {
        using var deadline = StartDeadline(Deadline);
        await using var tenant = await NewTenantAsync("client-list", deadline.Token);
        using var session = Session(tenant);
        var submitted = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            submitted.Add((await session.Client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token)).Id);
        }

        var listed = await session.Client.ListAsync(new JobListFilter { PageSize = 3, Type = "demo.simulate" }, deadline.Token).ToListAsync(deadline.Token);

        listed.Select(j => j.Id).ShouldBe(Enumerable.Reverse(submitted), "newest first, each job once, across three pages");
        (await session.Client.ListPageAsync(new JobListFilter { PageSize = 3 }, cancellationToken: deadline.Token)).NextCursor.ShouldNotBeNull();
        (await session.Client.ListAsync(new JobListFilter { Type = "report.generate" }, deadline.Token).ToListAsync(deadline.Token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_running_job_is_cancelled_and_a_finished_one_cannot_be()
    {
        using var deadline = StartDeadline(Deadline);
        await using var tenant = await NewTenantAsync("client-cancel", deadline.Token);
        using var session = Session(tenant);
        var handle = await session.Client.SubmitAsync("demo.simulate", new { steps = 100, stepDurationMs = 200 }, cancellationToken: deadline.Token);
        await foreach (var jobEvent in session.Client.StreamAsync(handle, StreamPosition.Beginning, deadline.Token))
        {
            if (jobEvent.Type == JobEventTypes.Progress)
            {
                break;
            }
        }

        var cancelling = await session.Client.CancelAsync(handle.Id, deadline.Token);
        cancelling.Status.ShouldBeOneOf(JobStatus.Running, JobStatus.Cancelled);
        (await session.Client.WaitAsync(handle.Id, deadline.Token)).Status.ShouldBe(JobStatus.Cancelled);

        var refused = await Should.ThrowAsync<AsyncJobsConflictException>(() => session.Client.CancelAsync(handle.Id, deadline.Token));
        refused.Type.ShouldBe(AsyncJobsProblemTypes.JobAlreadyFinished);
        refused.Problem.Status.ShouldBe(409);
        refused.Problem.Title.ShouldNotBeNullOrEmpty();
        refused.Problem.Detail.ShouldNotBeNull().ShouldContain(handle.Id.ToString());
    }

    [Fact]
    public async Task A_dead_letter_is_retried_and_runs_again()
    {
        using var deadline = StartDeadline(Deadline);
        await using var tenant = await NewTenantAsync("client-retry", deadline.Token);
        using var session = Session(tenant);
        var handle = await session.Client.SubmitAsync(
            "demo.simulate", new { steps = 1, stepDurationMs = 0, alwaysFail = true }, new SubmitOptions { MaxAttempts = 1 }, deadline.Token);
        var failed = await session.Client.WaitAsync(handle, deadline.Token);
        failed.Status.ShouldBe(JobStatus.Failed);
        failed.Error.ShouldNotBeNull().Type.ShouldBe("simulated_failure");
        (await session.Client.ListAsync(new JobListFilter { State = JobStatus.Failed }, deadline.Token).Select(j => j.Id).ToListAsync(deadline.Token))
            .ShouldBe([handle.Id]);

        var requeued = await session.Client.RetryAsync(handle.Id, deadline.Token);
        requeued.Status.ShouldBe(JobStatus.Queued);
        requeued.Id.ShouldBe(handle.Id);

        // alwaysFail: it fails again, and its history keeps both runs.
        var again = await WaitForAsync(session.Client, handle.Id, j => j.Status == JobStatus.Failed && j.History.Count(h => h.Status == JobStatus.Failed) == 2, deadline.Token);
        again.History.Select(h => h.Status).ShouldBe(
            [JobStatus.Queued, JobStatus.Running, JobStatus.Failed, JobStatus.Queued, JobStatus.Running, JobStatus.Failed]);

        var succeeded = await session.Client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);
        (await session.Client.WaitAsync(succeeded, deadline.Token)).Status.ShouldBe(JobStatus.Succeeded);
        var notFailed = await Should.ThrowAsync<AsyncJobsConflictException>(() => session.Client.RetryAsync(succeeded.Id, deadline.Token));
        notFailed.Type.ShouldBe(AsyncJobsProblemTypes.JobNotFailed);
    }

    [Fact]
    public async Task A_bad_submission_throws_the_problem_with_its_fields()
    {
        using var deadline = StartDeadline(Deadline);
        await using var tenant = await NewTenantAsync("client-bad", deadline.Token);
        using var session = Session(tenant);

        var invalid = await Should.ThrowAsync<AsyncJobsInvalidRequestException>(() =>
            session.Client.SubmitAsync("demo.simulate", new { steps = 0 }, cancellationToken: deadline.Token));
        invalid.Type.ShouldBe(AsyncJobsProblemTypes.InvalidPayload);
        invalid.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        invalid.Problem.Status.ShouldBe(400);
        invalid.Problem.Title.ShouldNotBeNullOrWhiteSpace();
        invalid.Problem.Detail.ShouldNotBeNullOrWhiteSpace();
        invalid.Errors.Keys.ShouldContain("payload.steps");
        invalid.Errors["payload.steps"].ShouldNotBeEmpty();
        invalid.Message.ShouldContain("400");

        var unknown = await Should.ThrowAsync<AsyncJobsProblemException>(() =>
            session.Client.SubmitAsync("no.such.type", new { steps = 1 }, cancellationToken: deadline.Token));
        unknown.ShouldBeOfType<AsyncJobsInvalidRequestException>();
        unknown.Type.ShouldBe(AsyncJobsProblemTypes.UnknownJobType);
        unknown.Errors.Keys.ShouldContain("type");

        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(0, "a refused submission writes nothing");
    }

    [Fact]
    public async Task Another_tenants_job_is_not_found()
    {
        using var deadline = StartDeadline(Deadline);
        await using var owner = await NewTenantAsync("client-owner", deadline.Token);
        await using var stranger = await NewTenantAsync("client-stranger", deadline.Token);
        using var ownerSession = Session(owner);
        using var strangerSession = Session(stranger);
        var handle = await ownerSession.Client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);

        var notFound = await Should.ThrowAsync<AsyncJobsNotFoundException>(() => strangerSession.Client.GetAsync(handle.Id, deadline.Token));
        notFound.Type.ShouldBe(AsyncJobsProblemTypes.JobNotFound);
        notFound.Problem.Status.ShouldBe(404);
        await Should.ThrowAsync<AsyncJobsNotFoundException>(() => strangerSession.Client.CancelAsync(handle.Id, deadline.Token));
        await Should.ThrowAsync<AsyncJobsNotFoundException>(async () =>
        {
            await foreach (var _ in strangerSession.Client.StreamAsync(handle, StreamPosition.Beginning, deadline.Token))
            {
            }
        });
        (await ownerSession.Client.GetAsync(handle.Id, deadline.Token)).Id.ShouldBe(handle.Id);
    }

    private ClientSession Session(TestTenant tenant) => new(Topology.ApiUrl, tenant.ApiKey);

    private static async Task<Job> WaitForAsync(AsyncJobsClient client, Guid id, Func<Job, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await client.GetAsync(id, cancellationToken);
            if (condition(job))
            {
                return job;
            }

            // Polls the real state with a deadline (the token); the interval only spares the API.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private sealed class JsonElementTextComparer : IEqualityComparer<JsonElement>
    {
        public bool Equals(JsonElement x, JsonElement y) => JsonElement.DeepEquals(x, y);

        public int GetHashCode(JsonElement obj) => 0;
    }
}
