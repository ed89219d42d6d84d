using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Scenarios;

namespace AsyncJobs.IntegrationTests.Handlers;

/// <summary>What every built-in job type scenario needs: submit a job, follow it to its end, read it back, a deadline.</summary>
public abstract class HandlerScenario(HandlerTopologyFixture fixture)
{
    /// <summary>Each scenario finishes well within this; every wait is bounded by it rather than by sleeps.</summary>
    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(60);

    protected HandlerTopologyFixture Fixture => fixture;

    protected static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TestDeadline);
        return deadline;
    }

    /// <summary>POST /jobs; asserts the 202.</summary>
    protected static async Task<JobAccepted> SubmitAsync(HttpClient api, string type, object payload, CancellationToken cancellationToken, int maxAttempts = 3)
    {
        using var response = await api.PostAsJsonAsync("/jobs", new { type, payload, maxAttempts }, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(cancellationToken));
        return (await response.Content.ReadFromJsonAsync<JobAccepted>(cancellationToken)).ShouldNotBeNull();
    }

    /// <summary>
    /// The job's whole event history up to its terminal event, which must be <paramref name="expectedEnd"/>. Replayed from
    /// the first event (<c>Last-Event-ID: 0</c>): a fast job may have reported and ended before the stream opens.
    /// </summary>
    protected async Task<IReadOnlyList<JobStreamEvent>> FollowToEndAsync(JobAccepted job, string expectedEnd, CancellationToken cancellationToken)
    {
        using var notifier = fixture.NotifierClient();
        var events = await JobEvents.ReadUntilTerminalAsync(notifier, new Uri(job.Links.Events), lastEventId: "0", cancellationToken);
        events[^1].Type.ShouldBe(expectedEnd, string.Join(", ", events.Select(e => $"{e.Type} {e.Data.Error}")));
        return events;
    }

    protected static async Task<JobView> GetJobAsync(HttpClient api, string id, CancellationToken cancellationToken) =>
        (await api.GetFromJsonAsync<JobView>($"/jobs/{id}", cancellationToken)).ShouldNotBeNull();

    /// <summary>GET /jobs/{id}/result; asserts the 200.</summary>
    protected static async Task<JsonElement> GetResultAsync(HttpClient api, string id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync($"/jobs/{id}/result", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonElement.Parse(text);
    }
}
