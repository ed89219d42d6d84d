using System.Net;
using System.Net.Http.Json;
using AsyncJobs.IntegrationTests.Scenarios;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>What every execution scenario needs: the topology, submitting <c>demo.simulate</c> jobs, reading them back, deadlines.</summary>
public abstract class ExecutionScenario(ExecutionTopologyFixture fixture)
{
    /// <summary>Each scenario finishes well within this; every wait is bounded by it rather than by sleeps.</summary>
    protected static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(60);

    protected ExecutionTopologyFixture Fixture => fixture;

    protected static CancellationTokenSource StartDeadline() => StartDeadline(TestDeadline);

    protected static CancellationTokenSource StartDeadline(TimeSpan after)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(after);
        return deadline;
    }

    /// <summary>POST /jobs with a <c>demo.simulate</c> payload; asserts the 202.</summary>
    protected static async Task<JobAccepted> SubmitAsync(
        HttpClient api, object payload, CancellationToken cancellationToken, int maxAttempts = 3, int timeoutSeconds = 60, string priority = "normal")
    {
        using var response = await api.PostAsJsonAsync("/jobs", new { type = "demo.simulate", payload, maxAttempts, timeoutSeconds, priority }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new ShouldAssertException($"POST /jobs answered {(int)response.StatusCode} instead of 202: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<JobAccepted>(cancellationToken)).ShouldNotBeNull();
    }

    protected static async Task<ExecutionJobView> GetJobAsync(HttpClient api, string id, CancellationToken cancellationToken) =>
        (await api.GetFromJsonAsync<ExecutionJobView>($"/jobs/{id}", cancellationToken)).ShouldNotBeNull();

    /// <summary>Waits until a live stream shows <paramref name="type"/> (on <paramref name="attempt"/> when given); fails on a terminal event first.</summary>
    protected static async Task<TimelineEvent> WaitForAsync(
        IAsyncEnumerator<TimelineEvent> stream, string type, List<TimelineEvent> seen, int? attempt = null)
    {
        while (await stream.MoveNextAsync())
        {
            var e = stream.Current;
            seen.Add(e);
            if (e.Type == type && (attempt is null || e.Attempt == attempt))
            {
                return e;
            }

            e.IsTerminal.ShouldBeFalse($"the job ended before {type}: {JobTimeline.Describe(seen)}");
        }

        throw new ShouldAssertException($"The stream ended before {type}: {JobTimeline.Describe(seen)}");
    }

    protected static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
