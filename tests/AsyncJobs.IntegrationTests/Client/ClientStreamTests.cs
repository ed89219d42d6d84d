using System.Net;
using AsyncJobs.Client;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Jobs;
using AsyncJobs.IntegrationTests.Events;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// The client's streams survive what a real network and a real deployment do to them: a notifier killed and started
/// again, and connections cut mid-stream, with every event received exactly once and in order; and WaitAsync still
/// answers when the notifier is down, by polling.
/// </summary>
[Collection(EventsCollectionDefinition.Name)]
public sealed class ClientStreamTests(EventsTopologyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task StreamAsync_resumes_across_a_notifier_killed_and_restarted_mid_job()
    {
        using var deadline = StartDeadline();
        using var session = new ClientSession(fixture.Topology.ApiUrl, fixture.Topology.ApiKey);
        var handle = await session.Client.SubmitAsync("demo.simulate", new { steps = 12, stepDurationMs = 300 }, cancellationToken: deadline.Token);
        var received = new List<JobEvent>();
        Task? restart = null;

        await foreach (var jobEvent in session.Client.StreamAsync(handle, StreamPosition.Beginning, deadline.Token))
        {
            received.Add(jobEvent);
            if (restart is null && jobEvent.Type == JobEventTypes.Progress)
            {
                fixture.Topology.Kill("notifier");
                // Started in the background: the client meets refused connections first and must keep trying.
                restart = fixture.Topology.StartServiceAsync("notifier", deadline.Token);
            }
        }

        await restart.ShouldNotBeNull();
        received.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, received.Count), "no gap and no duplicate");
        received[^1].Type.ShouldBe(JobEventTypes.Succeeded);
        var history = await session.Client.StreamAsync(handle, StreamPosition.Beginning, deadline.Token).ToListAsync(deadline.Token);
        received.Select(e => (e.Sequence, e.Type)).ShouldBe(history.Select(e => (e.Sequence, e.Type)), "the whole history, as a fresh replay shows it");
    }

    [Fact]
    public async Task StreamAsync_resumes_after_its_connection_is_cut_mid_event()
    {
        using var deadline = StartDeadline();
        var cutter = new CuttingHandler(cuts: 3, bytesBeforeCut: 700);
        using var session = new ClientSession(fixture.Topology.ApiUrl, fixture.Topology.ApiKey, eventsHandler: cutter);
        var handle = await session.Client.SubmitAsync("demo.simulate", new { steps = 10, stepDurationMs = 300 }, cancellationToken: deadline.Token);

        var received = await session.Client.StreamAsync(handle, StreamPosition.Beginning, deadline.Token).ToListAsync(deadline.Token);

        received.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, received.Count), "no gap and no duplicate");
        received[^1].Type.ShouldBe(JobEventTypes.Succeeded);
        received.Count.ShouldBeGreaterThan(10);
        var asked = cutter.LastEventIds;
        asked.Count.ShouldBeGreaterThanOrEqualTo(4, "three cut connections and the one that finished");
        asked[0].ShouldBe("0");
        // Each reconnection resumes after the last event that arrived whole.
        asked.Skip(1).Select(id => int.Parse(id.ShouldNotBeNull())).ShouldBeInOrder(SortDirection.Ascending);
        int.Parse(asked[1]!).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task WaitAsync_polls_with_etags_when_the_notifier_is_down()
    {
        using var deadline = StartDeadline();
        var recorder = new RecordingHandler();
        using var session = new ClientSession(fixture.Topology.ApiUrl, fixture.Topology.ApiKey, apiHandler: recorder);
        await fixture.Topology.StopAsync("notifier");
        try
        {
            var handle = await session.Client.SubmitAsync("demo.simulate", new { steps = 2, stepDurationMs = 2500 }, cancellationToken: deadline.Token);

            var job = await session.Client.WaitAsync(handle.Id, deadline.Token);

            job.Status.ShouldBe(JobStatus.Succeeded);
            var polls = recorder.Exchanges.Where(e => e.Method == "GET" && e.Path == $"/jobs/{handle.Id}").ToList();
            polls.Count.ShouldBeGreaterThanOrEqualTo(3, string.Join(", ", polls));
            polls.ShouldContain(p => p.Status == HttpStatusCode.NotModified && p.IfNoneMatch.Length > 0, "an unchanged job is answered 304 to its ETag");
            polls[^1].Status.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await fixture.Topology.StartServiceAsync("notifier", CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_tenant_stream_carries_every_event_of_a_new_job()
    {
        using var deadline = StartDeadline();
        using var session = new ClientSession(fixture.Topology.ApiUrl, fixture.Topology.ApiKey, eventsAddress: fixture.Topology.NotifierUrl);
        var handle = await session.Client.SubmitAsync("demo.simulate", new { steps = 3, stepDurationMs = 100 }, cancellationToken: deadline.Token);

        var events = new List<JobEvent>();
        await foreach (var jobEvent in session.Client.StreamTenantAsync(afterEventId: 0, deadline.Token))
        {
            if (jobEvent.JobId == handle.Id)
            {
                events.Add(jobEvent);
                if (jobEvent.IsTerminal)
                {
                    break;
                }
            }
        }

        events.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, events.Count));
        events.Select(e => e.StreamId).ShouldBeInOrder(SortDirection.Ascending);
        events[^1].Type.ShouldBe(JobEventTypes.Succeeded);
    }

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        return deadline;
    }
}
