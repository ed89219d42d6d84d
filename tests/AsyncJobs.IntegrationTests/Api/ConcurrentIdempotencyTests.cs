using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Many clients retrying one submission at the same moment create exactly one job.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class ConcurrentIdempotencyTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    private const int Clients = 16;

    [Fact]
    public async Task Concurrent_submissions_with_one_key_create_one_job_and_all_answer_its_id()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-concurrent", deadline.Token);
        var key = $"burst-{Guid.NewGuid():N}";
        var body = DemoJobs.Steps(2, 10);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, Clients).Select(async _ =>
        {
            await go.Task;
            using var response = await tenant.PostJobAsync(body, deadline.Token, key);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(deadline.Token));
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
            return (Job: await response.ReadAsync<SubmittedJob>(deadline.Token), Replayed: replayed);
        }).ToList();
        go.SetResult();
        var answers = await Task.WhenAll(requests);

        answers.Select(a => a.Job.Id).Distinct().ShouldHaveSingleItem();
        answers.Select(a => a.Job.JobToken).Distinct().ShouldHaveSingleItem();
        answers.Count(a => !a.Replayed).ShouldBe(1, "exactly one request created the job; the others are replays");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }
}
