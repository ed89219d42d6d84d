using System.Net;
using AsyncJobs.IntegrationTests.Scenarios;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>
/// Every event reaches a subscriber that resumes with Last-Event-ID, in order, without gaps or duplicates:
/// after a dropped connection, a notifier killed and restarted, on a second notifier replica, and across a
/// Redis restart in the middle of a job.
/// </summary>
[Collection(EventsCollectionDefinition.Name)]
public sealed class ResumableStreamTests(EventsTopologyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_client_that_drops_its_connection_resumes_after_its_last_event()
    {
        using var deadline = StartDeadline();
        var job = await fixture.SubmitAsync(new { steps = 8, stepDurationMs = 250 }, deadline.Token);
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);

        var first = await ReadAsync(notifier, job, lastEventId: "0", take: 3, deadline.Token);
        var rest = await JobEvents.ReadUntilTerminalAsync(notifier, new Uri(job.Links.Events), first[^1].Id.ToString(), deadline.Token);

        await ShouldBeTheWholeHistoryAsync(notifier, job, [.. first, .. rest], deadline.Token);
    }

    [Fact]
    public async Task A_client_resumes_on_a_restarted_notifier_without_gap_or_duplicate()
    {
        using var deadline = StartDeadline();
        var job = await fixture.SubmitAsync(new { steps = 10, stepDurationMs = 400 }, deadline.Token);
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        var before = await ReadAsync(notifier, job, lastEventId: "0", take: 3, deadline.Token);

        fixture.Topology.Kill("notifier");
        await fixture.Topology.StartServiceAsync("notifier", deadline.Token);
        var after = await JobEvents.ReadUntilTerminalAsync(notifier, new Uri(job.Links.Events), before[^1].Id.ToString(), deadline.Token);

        await ShouldBeTheWholeHistoryAsync(notifier, job, [.. before, .. after], deadline.Token);
    }

    [Fact]
    public async Task Two_notifier_replicas_serve_the_same_events()
    {
        using var deadline = StartDeadline();
        var secondNotifier = await fixture.Topology.AddServiceAsync("notifier-2", AsyncJobs.LocalHost.ServiceKind.Notifier, deadline.Token);

        var job = await fixture.SubmitAsync(new { steps = 5, stepDurationMs = 200 }, deadline.Token);
        using var first = fixture.Client(fixture.Topology.NotifierUrl);
        using var second = fixture.Client(secondNotifier);

        var fromFirst = JobEvents.ReadUntilTerminalAsync(first, new Uri(job.Links.Events), "0", deadline.Token);
        var fromSecond = JobEvents.ReadUntilTerminalAsync(second, new Uri(secondNotifier, new Uri(job.Links.Events).PathAndQuery), "0", deadline.Token);

        var (a, b) = (await fromFirst, await fromSecond);
        a.Select(e => (e.Id, e.Type)).ShouldBe(b.Select(e => (e.Id, e.Type)));
        a[^1].Type.ShouldBe("job.succeeded");
    }

    [Fact]
    public async Task Redis_stopped_and_restarted_mid_job_loses_no_event()
    {
        using var deadline = StartDeadline();
        var job = await fixture.SubmitAsync(new { steps = 12, stepDurationMs = 400 }, deadline.Token);
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        var received = new List<JobStreamEvent>();
        var progressed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var reading = Task.Run(
            async () =>
            {
                await foreach (var e in JobEvents.ReadAsync(notifier, new Uri(job.Links.Events), "0", deadline.Token))
                {
                    received.Add(e);
                    if (e.Type == "job.progress")
                    {
                        progressed.TrySetResult();
                    }

                    if (e.IsTerminal)
                    {
                        return;
                    }
                }
            },
            deadline.Token);

        await progressed.Task.WaitAsync(deadline.Token);
        await InfraScript.RunAsync("redis-stop", fixture.Topology, deadline.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token); // Redis stays down while the job reports progress.
        await InfraScript.RunAsync("redis-start", fixture.Topology, deadline.Token);
        await reading;

        await ShouldBeTheWholeHistoryAsync(notifier, job, received, deadline.Token);
    }

    [Fact]
    public async Task An_idle_stream_gets_heartbeat_comments()
    {
        using var deadline = StartDeadline();
        var job = await fixture.SubmitAsync(new { hang = true }, deadline.Token, timeoutSeconds: 30);
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        using var response = await notifier.GetAsync(new Uri(job.Links.Events), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));

        string? line;
        var sawRetry = false;
        while ((line = await reader.ReadLineAsync(deadline.Token)) is not null && line != ": heartbeat")
        {
            sawRetry |= line.StartsWith("retry: ", StringComparison.Ordinal);
        }

        line.ShouldBe(": heartbeat");
        sawRetry.ShouldBeTrue();
        using var api = fixture.ApiClient();
        (await api.PostAsync($"/jobs/{job.Id}/cancel", null, deadline.Token)).IsSuccessStatusCode.ShouldBeTrue();
    }

    private static async Task<IReadOnlyList<JobStreamEvent>> ReadAsync(HttpClient notifier, JobAccepted job, string lastEventId, int take, CancellationToken cancellationToken)
    {
        var events = new List<JobStreamEvent>();
        await foreach (var e in JobEvents.ReadAsync(notifier, new Uri(job.Links.Events), lastEventId, cancellationToken))
        {
            events.Add(e);
            if (events.Count == take || e.IsTerminal)
            {
                break;
            }
        }

        return events;
    }

    /// <summary>What the client pieced together equals the job's full history: ids 1..N, once each, in order, ending succeeded.</summary>
    private static async Task ShouldBeTheWholeHistoryAsync(HttpClient notifier, JobAccepted job, List<JobStreamEvent> pieced, CancellationToken cancellationToken)
    {
        var history = await JobEvents.ReadUntilTerminalAsync(notifier, new Uri(job.Links.Events), "0", cancellationToken);
        pieced.Select(e => e.Id).ShouldBe(Enumerable.Range(1, pieced.Count).Select(i => (long)i), $"received: {string.Join(", ", pieced.Select(e => $"{e.Id}:{e.Type}"))}");
        pieced.Select(e => (e.Id, e.Type)).ShouldBe(history.Select(e => (e.Id, e.Type)));
        pieced[^1].Type.ShouldBe("job.succeeded");
    }

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        return deadline;
    }
}
