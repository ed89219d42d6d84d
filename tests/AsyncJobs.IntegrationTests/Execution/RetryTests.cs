using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncJobs.Worker.Hangfire;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>Retries with backoff, dead letters and their replay, timeouts.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class RetryTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    // nextAttemptAt is the worker's clock, occurredAt PostgreSQL's, on the same machine.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_job_that_fails_twice_succeeds_on_its_third_attempt_after_backing_off()
    {
        using var deadline = StartDeadline();
        await Fixture.EnsureRunningAsync("worker", deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("fail-twice");

        var job = await SubmitAsync(api, new { steps = 1, stepDurationMs = 0, failTimes = 2, executionCounterKey = counter }, deadline.Token, maxAttempts: 3);
        var events = await JobTimeline.UntilTerminalAsync(notifier, new Uri(job.Links.Events), deadline.Token, lastEventId: 0);

        var describe = JobTimeline.Describe(events);
        events.Where(e => e.Type != "job.progress").Select(e => $"{e.Type}#{e.Attempt}").ShouldBe(
            ["job.queued#0", "job.running#1", "job.retrying#1", "job.running#2", "job.retrying#2", "job.running#3", "job.succeeded#3"], describe);

        var retries = events.Where(e => e.Type == "job.retrying").ToList();
        for (var i = 0; i < retries.Count; i++)
        {
            var retry = retries[i];
            retry.ErrorType.ShouldBe("simulated_transient_failure", describe);
            retry.Error!.Value.GetProperty("retryable").GetBoolean().ShouldBeTrue();
            var nextAttemptAt = retry.Error.Value.GetProperty("nextAttemptAt").GetDateTimeOffset();
            var delay = nextAttemptAt - retry.OccurredAt;
            var ceiling = ExecutionTopologyFixture.RetryBaseDelay * Math.Pow(2, i);
            delay.ShouldBeLessThanOrEqualTo(ceiling + ClockTolerance, $"retry {i + 1}: full jitter stays within base·2^{i}");

            var nextRun = events.Single(e => e.Type == "job.running" && e.Attempt == retry.Attempt + 1);
            nextRun.OccurredAt.ShouldBeGreaterThanOrEqualTo(nextAttemptAt - ClockTolerance, $"attempt {retry.Attempt + 1} started before its backoff ended: {describe}");
            Report($"attempt {retry.Attempt} failed; backoff {delay.TotalMilliseconds:0} ms (ceiling {ceiling.TotalMilliseconds:0} ms); " +
                $"attempt {retry.Attempt + 1} started {(nextRun.OccurredAt - retry.OccurredAt).TotalMilliseconds:0} ms after the failure");
        }

        var view = await GetJobAsync(api, job.Id, deadline.Token);
        view.Status.ShouldBe("succeeded");
        view.Attempt.ShouldBe(3);
        view.History.Select(h => h.At).ShouldBeInOrder(SortDirection.Ascending);
        view.History.Count(h => h.Status == "retrying").ShouldBe(2);
        (await ExecutionCounter.ReadAsync(Fixture.Redis, counter)).ShouldBe(new ExecutionCounter(Started: 3, Active: 0, MaxActive: 1));
        (await HangfireJobsOfAsync(job.Id, deadline.Token)).ShouldBe(
            (Count: 3, Latest: true), "the relay's Hangfire job and each retry's, and the job row names the latest (the rescuer reads it)");
    }

    [Fact]
    public async Task An_always_failing_job_is_dead_lettered_with_its_error_and_run_again_by_the_retry_endpoint()
    {
        using var deadline = StartDeadline();
        await Fixture.EnsureRunningAsync("worker", deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("always-fail");
        var job = await SubmitAsync(api, new { alwaysFail = true, executionCounterKey = counter }, deadline.Token, maxAttempts: 3);
        var events = new Uri(job.Links.Events);

        var first = await JobTimeline.UntilTerminalAsync(notifier, events, deadline.Token, lastEventId: 0);

        first[^1].Type.ShouldBe("job.failed", JobTimeline.Describe(first));
        first.Count(e => e.Type == "job.running").ShouldBe(1, "a permanent failure is not retried, whatever maxAttempts allows");
        var failed = await GetJobAsync(api, job.Id, deadline.Token);
        failed.Status.ShouldBe("failed");
        failed.Attempt.ShouldBe(1);
        ShouldBeSimulatedFailure(failed.Error, attempt: 1);

        using var retry = await api.PostAsync($"/jobs/{job.Id}/retry", content: null, deadline.Token);
        retry.StatusCode.ShouldBe(HttpStatusCode.Accepted, await retry.Content.ReadAsStringAsync(deadline.Token));
        var requeued = (await retry.Content.ReadFromJsonAsync<ExecutionJobView>(deadline.Token)).ShouldNotBeNull();
        requeued.Status.ShouldBe("queued");

        var second = await JobTimeline.UntilTerminalAsync(notifier, events, deadline.Token, lastEventId: first[^1].Id);

        second.Where(e => e.Type != "job.progress").Select(e => $"{e.Type}#{e.Attempt}").ShouldBe(
            ["job.queued#0", "job.running#1", "job.failed#1"], JobTimeline.Describe(second));
        var view = await GetJobAsync(api, job.Id, deadline.Token);
        view.Status.ShouldBe("failed");
        var failures = view.History.Where(h => h.Status == "failed").ToList();
        failures.Count.ShouldBe(2, "the history keeps every dead-lettering, each with its error");
        failures.ShouldAllBe(h => h.Error.HasValue);
        ShouldBeSimulatedFailure(failures[0].Error, attempt: 1);
        ShouldBeSimulatedFailure(failures[1].Error, attempt: 1);
        (await ExecutionCounter.ReadAsync(Fixture.Redis, counter)).Started.ShouldBe(2);
    }

    [Fact]
    public async Task A_hanging_job_is_stopped_at_its_timeout_and_fails_with_a_timeout_error()
    {
        using var deadline = StartDeadline();
        await Fixture.EnsureRunningAsync("worker", deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("timeout");

        var job = await SubmitAsync(api, new { hang = true, executionCounterKey = counter }, deadline.Token, maxAttempts: 3, timeoutSeconds: 2);
        var events = await JobTimeline.UntilTerminalAsync(notifier, new Uri(job.Links.Events), deadline.Token, lastEventId: 0);

        var describe = JobTimeline.Describe(events);
        var failed = events[^1];
        failed.Type.ShouldBe("job.failed", describe);
        failed.ErrorType.ShouldBe("timeout", describe);
        failed.Error!.Value.GetProperty("retryable").GetBoolean().ShouldBeFalse("timed-out jobs are not retried by default");
        events.Count(e => e.Type == "job.running").ShouldBe(1, describe);
        var ranFor = failed.OccurredAt - events.Single(e => e.Type == "job.running").OccurredAt;
        ranFor.ShouldBeInRange(TimeSpan.FromSeconds(2) - ClockTolerance, TimeSpan.FromSeconds(4));
        Report($"timed out after {ranFor.TotalMilliseconds:0} ms (timeout 2000 ms)");

        var counted = await ExecutionCounter.ReadAsync(Fixture.Redis, counter);
        counted.Started.ShouldBe(1);
        counted.Active.ShouldBe(0, "the handler really stopped");
    }

    private static void ShouldBeSimulatedFailure(JsonElement? error, int attempt)
    {
        var value = error.ShouldNotBeNull();
        value.GetProperty("type").GetString().ShouldBe("simulated_failure");
        value.GetProperty("message").GetString().ShouldBe("demo.simulate was asked to always fail.");
        value.GetProperty("retryable").GetBoolean().ShouldBeFalse();
        value.GetProperty("attempt").GetInt32().ShouldBe(attempt);
    }

    /// <summary>How many Hangfire jobs ran <paramref name="jobId"/>, and whether the job row records the latest of them.</summary>
    private async Task<(long Count, bool Latest)> HangfireJobsOfAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Fixture.Topology.JobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT count(*), max(h.id) = (SELECT hangfire_job_id FROM jobs WHERE id = @id)
            FROM {HangfireSetup.SchemaName}.job h
            WHERE h.arguments->>0 = '"' || @id::text || '"'
            """, connection);
        command.Parameters.AddWithValue("id", Guid.Parse(jobId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (await reader.ReadAsync(cancellationToken)).ShouldBeTrue();
        return (reader.GetInt64(0), !reader.IsDBNull(1) && reader.GetBoolean(1));
    }
}
