using System.Net;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>A cancel reaches the running handler within a second, by the Redis signal or, when that is lost, the database.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class CancellationTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    [Fact]
    public async Task A_running_job_is_cancelled_within_a_second_of_the_request()
    {
        using var deadline = StartDeadline();
        await Fixture.EnsureRunningAsync("worker", deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("cancel");
        var job = await SubmitAsync(api, new { hang = true, executionCounterKey = counter }, deadline.Token, maxAttempts: 3, timeoutSeconds: 60);
        var seen = new List<TimelineEvent>();
        await using var stream = JobTimeline.ReadAsync(notifier, new Uri(job.Links.Events), lastEventId: null, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await WaitForAsync(stream, "job.progress", seen);

        // The stream is read while the request is in flight: the event often arrives before the 202 itself.
        var cancelling = WaitForAsync(stream, "job.cancelled", seen);
        var requestedAt = DateTimeOffset.UtcNow;
        using var response = await api.PostAsync($"/jobs/{job.Id}/cancel", content: null, deadline.Token);
        var acceptedAt = DateTimeOffset.UtcNow;
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(deadline.Token));
        var cancelled = await cancelling;

        var latency = cancelled.ReceivedAt - requestedAt;
        Report($"cancel latency: job.cancelled recorded {(cancelled.OccurredAt - requestedAt).TotalMilliseconds:0} ms and on the SSE stream " +
            $"{latency.TotalMilliseconds:0} ms after the request was sent ({(cancelled.ReceivedAt - acceptedAt).TotalMilliseconds:0} ms after the 202, " +
            $"which arrived after {(acceptedAt - requestedAt).TotalMilliseconds:0} ms)");
        latency.ShouldBeLessThan(TimeSpan.FromSeconds(1), WorkerLogs());
        cancelled.Attempt.ShouldBe(1);
        (await GetJobAsync(api, job.Id, deadline.Token)).Status.ShouldBe("cancelled");
        var counted = await ExecutionCounter.ReadAsync(Fixture.Redis, counter);
        counted.Started.ShouldBe(1);
        counted.Active.ShouldBe(0, "the handler really stopped");
    }

    [Fact]
    public async Task A_cancel_whose_signal_was_lost_is_found_in_the_database()
    {
        using var deadline = StartDeadline();
        await Fixture.EnsureRunningAsync("worker", deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var job = await SubmitAsync(api, new { hang = true }, deadline.Token, maxAttempts: 1, timeoutSeconds: 60);
        var seen = new List<TimelineEvent>();
        await using var stream = JobTimeline.ReadAsync(notifier, new Uri(job.Links.Events), lastEventId: null, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await WaitForAsync(stream, "job.progress", seen);

        // What the API writes before it publishes the signal, without the signal.
        await using (var connection = new NpgsqlConnection(Fixture.Topology.JobsDbConnectionString))
        {
            await connection.OpenAsync(deadline.Token);
            await using var flag = new NpgsqlCommand("UPDATE jobs SET cancel_requested_at = now() WHERE id = @id AND state = 'running'", connection);
            flag.Parameters.AddWithValue("id", Guid.Parse(job.Id));
            (await flag.ExecuteNonQueryAsync(deadline.Token)).ShouldBe(1);
        }

        var flaggedAt = DateTimeOffset.UtcNow;
        var cancelled = await WaitForAsync(stream, "job.cancelled", seen);

        var latency = cancelled.ReceivedAt - flaggedAt;
        Report($"cancel latency through the database poll: {latency.TotalMilliseconds:0} ms");
        latency.ShouldBeLessThan(TimeSpan.FromSeconds(2.5), "the poll runs every second\n" + WorkerLogs());
    }

    private string WorkerLogs() =>
        string.Join("\n", Fixture.Topology.ServiceNames.Where(s => s.StartsWith("worker", StringComparison.Ordinal)).Select(s => $"--- {s}:\n{Fixture.Topology.OutputTail(s)}"));
}
