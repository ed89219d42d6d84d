using System.Net;
using AsyncJobs.IntegrationTests.Scenarios;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>GET /events: every event of every job of the tenant, by global event id, resumable.</summary>
[Collection(EventsCollectionDefinition.Name)]
public sealed class TenantStreamTests(EventsTopologyFixture fixture)
{
    [Fact]
    public async Task The_tenant_stream_carries_every_job_and_resumes_after_its_last_event()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        var tenantEvents = new Uri(fixture.Topology.NotifierUrl, "/events");
        var jobs = new HashSet<string>();
        var seen = new List<JobStreamEvent>();
        var finished = new HashSet<string>();

        // A stream opened without Last-Event-ID starts with the newest event of each unfinished job. A job that
        // waits until cancelled is surely unfinished: once its event arrives, the stream is live.
        var marker = await fixture.SubmitAsync(new { hang = true }, deadline.Token);
        await using (var stream = JobEvents.ReadAsync(notifier, tenantEvents, lastEventId: null, deadline.Token).GetAsyncEnumerator(deadline.Token))
        {
            do
            {
                (await stream.MoveNextAsync()).ShouldBeTrue("the stream ended before it was live");
            }
            while (stream.Current.Data.JobId != marker.Id);

            using (var api = fixture.ApiClient())
            {
                (await api.PostAsync($"/jobs/{marker.Id}/cancel", content: null, deadline.Token)).EnsureSuccessStatusCode();
            }

            // The stream is live before the jobs exist: each of them is seen from its first event.
            var next = stream.MoveNextAsync().AsTask();
            jobs.Add((await fixture.SubmitAsync(new { steps = 2, stepDurationMs = 100 }, deadline.Token)).Id);
            jobs.Add((await fixture.SubmitAsync(new { steps = 3, stepDurationMs = 100 }, deadline.Token)).Id);
            while (await next)
            {
                var e = stream.Current;
                if (jobs.Contains(e.Data.JobId))
                {
                    seen.Add(e);
                    if (e.IsTerminal)
                    {
                        finished.Add(e.Data.JobId);
                    }
                }

                if (finished.SetEquals(jobs))
                {
                    break;
                }

                next = stream.MoveNextAsync().AsTask();
            }
        }

        seen.Select(e => e.Id).ShouldBeInOrder(SortDirection.Ascending);
        seen.Select(e => e.Id).Distinct().Count().ShouldBe(seen.Count);
        foreach (var job in jobs)
        {
            seen.Where(e => e.Data.JobId == job).Select(e => e.Data.Sequence).ShouldBe(Enumerable.Range(1, seen.Count(e => e.Data.JobId == job)).Select(i => (long)i));
        }

        // Resuming after the third event replays exactly the ones after it.
        var resumed = new List<JobStreamEvent>();
        await foreach (var e in JobEvents.ReadAsync(notifier, tenantEvents, seen[2].Id.ToString(), deadline.Token))
        {
            if (jobs.Contains(e.Data.JobId))
            {
                resumed.Add(e);
            }

            if (resumed.Count == seen.Count - 3)
            {
                break;
            }
        }

        resumed.Select(e => e.Id).ShouldBe(seen.Skip(3).Select(e => e.Id));
    }

    [Fact]
    public async Task A_job_token_reads_its_job_stream_but_not_the_tenant_stream()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        var job = await fixture.SubmitAsync(new { steps = 1, stepDurationMs = 10 }, deadline.Token);
        using var anonymous = new HttpClient { BaseAddress = fixture.Topology.NotifierUrl };

        var viaToken = await JobEvents.ReadUntilTerminalAsync(anonymous, new Uri($"{job.Links.Events}?access_token={job.JobToken}"), "0", deadline.Token);
        viaToken[^1].Type.ShouldBe("job.succeeded");

        using var tokenClient = fixture.Client(fixture.Topology.NotifierUrl, bearer: job.JobToken);
        (await tokenClient.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var other = await fixture.SubmitAsync(new { steps = 1, stepDurationMs = 10 }, deadline.Token);
        (await tokenClient.GetAsync(new Uri(other.Links.Events), HttpCompletionOption.ResponseHeadersRead, deadline.Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync(new Uri(other.Links.Events), HttpCompletionOption.ResponseHeadersRead, deadline.Token)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
