using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Scenarios;

/// <summary>Submit → execute → notify, end to end: the walking skeleton (issue #2).</summary>
public abstract class JobLifecycleScenarios(ITopology topology)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_submitted_job_is_accepted_runs_to_success_and_streams_its_progress()
    {
        using var deadline = StartDeadline();
        using var api = topology.ApiClient();
        using var notifier = topology.NotifierClient();

        using var response = await api.PostAsJsonAsync("/jobs", DemoJob(steps: 3, stepDurationMs: 300), deadline.Token);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var accepted = await response.Content.ReadFromJsonAsync<JobAccepted>(deadline.Token);
        accepted.ShouldNotBeNull();
        accepted.Id.ShouldNotBeNullOrWhiteSpace();
        accepted.Status.ShouldBe("queued");
        accepted.CreatedAt.ShouldNotBe(default);
        response.Headers.Location?.OriginalString.ShouldBe($"/jobs/{accepted.Id}");
        response.Headers.RetryAfter.ShouldNotBeNull();
        accepted.Links.Self.ShouldNotBeNullOrWhiteSpace();
        accepted.Links.Cancel.ShouldNotBeNullOrWhiteSpace();
        Uri.TryCreate(accepted.Links.Events, UriKind.Absolute, out var eventsUrl).ShouldBeTrue($"links.events is not absolute: {accepted.Links.Events}");

        // Last-Event-ID 0 asks for the whole history, not just the current state.
        var events = await JobEvents.ReadUntilTerminalAsync(notifier, eventsUrl, lastEventId: "0", deadline.Token);

        var types = events.Select(e => e.Type).ToList();
        types[^1].ShouldBe("job.succeeded", string.Join(", ", types));
        var running = types.IndexOf("job.running");
        running.ShouldBeGreaterThanOrEqualTo(0, string.Join(", ", types));
        types.IndexOf("job.progress", running).ShouldBeGreaterThan(running, string.Join(", ", types));
        events.Zip(events.Skip(1)).ShouldAllBe(pair => pair.Second.Id > pair.First.Id);
        events.ShouldAllBe(e => e.Data.JobId == accepted.Id);

        var job = await api.GetFromJsonAsync<JobView>($"/jobs/{accepted.Id}", deadline.Token);
        job.ShouldNotBeNull();
        job.Status.ShouldBe("succeeded");
        job.Progress.ShouldNotBeNull().Percent.ShouldBe(100);
        job.Result.ShouldNotBeNull().ValueKind.ShouldNotBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_running_job_shows_its_progress_when_polled()
    {
        using var deadline = StartDeadline();
        using var api = topology.ApiClient();
        using var notifier = topology.NotifierClient();

        using var response = await api.PostAsJsonAsync("/jobs", DemoJob(steps: 10, stepDurationMs: 1000), deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>(deadline.Token)).ShouldNotBeNull();

        var progressed = await FirstProgressAsync(notifier, new Uri(accepted.Links.Events), deadline.Token);

        var job = await api.GetFromJsonAsync<JobView>($"/jobs/{accepted.Id}", deadline.Token);
        job.ShouldNotBeNull();
        job.Status.ShouldBe("running");
        job.Progress.ShouldNotBeNull().Percent.ShouldBeGreaterThanOrEqualTo(progressed.Percent);
        job.StartedAt.ShouldNotBeNull();
        job.FinishedAt.ShouldBeNull();
    }

    private static object DemoJob(int steps, int stepDurationMs) =>
        new { type = "demo.simulate", payload = new { steps, stepDurationMs } };

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        return deadline;
    }

    private static async Task<JobProgress> FirstProgressAsync(HttpClient notifier, Uri events, CancellationToken cancellationToken)
    {
        await foreach (var e in JobEvents.ReadAsync(notifier, events, cancellationToken))
        {
            e.IsTerminal.ShouldBeFalse($"the job ended ({e.Type}) before it reported progress");
            if (e is { Type: "job.progress", Data.Progress: { Percent: > 0 } progress })
            {
                return progress;
            }
        }

        throw new ShouldAssertException($"The stream {events} ended before any progress.");
    }
}
