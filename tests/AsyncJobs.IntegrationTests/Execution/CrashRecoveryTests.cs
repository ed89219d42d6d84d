namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>kill -9 of a worker mid-job or of the API right after it accepted: nothing accepted is lost.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class CrashRecoveryTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    // The guaranteed bound (README): LeaseTimeout (20 s) + RescueInterval (5 s) + pickup is about 25 s on a quiet machine;
    // 60 s leaves room for an overloaded 2-core CI host (36 s was seen at load average 45) and is issue 8's target.
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_killed_mid_job_loses_nothing_the_job_completes_after_the_restart()
    {
        using var deadline = StartDeadline();
        await Fixture.OnlyFirstWorkerAsync(deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("killed-worker");
        var job = await SubmitAsync(api, new { steps = 8, stepDurationMs = 500, executionCounterKey = counter }, deadline.Token, maxAttempts: 3);
        var seen = new List<TimelineEvent>();
        await using var stream = JobTimeline.ReadAsync(notifier, new Uri(job.Links.Events), lastEventId: null, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await WaitForAsync(stream, "job.progress", seen, attempt: 1);

        Fixture.Topology.Kill("worker");
        var killedAt = DateTimeOffset.UtcNow;
        try
        {
            await Fixture.Topology.StartServiceAsync("worker", deadline.Token);
            var restartedAt = DateTimeOffset.UtcNow;

            var rescued = await WaitForAsync(stream, "job.retrying", seen);
            var rerun = await WaitForAsync(stream, "job.running", seen, attempt: 2);
            var done = await WaitForAsync(stream, "job.succeeded", seen);

            var recovery = rerun.ReceivedAt - killedAt;
            Report($"worker restarted {(restartedAt - killedAt).TotalSeconds:0.0} s after kill -9; job rescued after " +
                $"{(rescued.ReceivedAt - killedAt).TotalSeconds:0.0} s, running again after {recovery.TotalSeconds:0.0} s " +
                $"(pickup after rescue {(rerun.ReceivedAt - rescued.ReceivedAt).TotalMilliseconds:0} ms), succeeded after {(done.ReceivedAt - killedAt).TotalSeconds:0.0} s");
            rescued.ErrorType.ShouldBe("worker_lost", JobTimeline.Describe(seen));
            recovery.ShouldBeLessThan(RecoveryBound);
        }
        finally
        {
            await Fixture.EnsureRunningAsync("worker", TestContext.Current.CancellationToken);
        }

        var view = await GetJobAsync(api, job.Id, deadline.Token);
        view.Status.ShouldBe("succeeded");
        view.Attempt.ShouldBe(2);
        // The killed execution never ended, so it still counts as active: only the starts are meaningful here.
        (await ExecutionCounter.ReadAsync(Fixture.Redis, counter)).Started.ShouldBe(2);
    }

    [Fact]
    public async Task An_api_killed_right_after_accepting_a_job_loses_nothing()
    {
        using var deadline = StartDeadline();
        await Fixture.EnsureRunningAsync("worker", deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("killed-api");

        var job = await SubmitAsync(api, new { steps = 2, stepDurationMs = 200, executionCounterKey = counter }, deadline.Token);
        Fixture.Topology.Kill("api");
        try
        {
            var events = await JobTimeline.UntilTerminalAsync(notifier, new Uri(job.Links.Events), deadline.Token);
            events[^1].Type.ShouldBe("job.succeeded", JobTimeline.Describe(events));
        }
        finally
        {
            await Fixture.EnsureRunningAsync("api", TestContext.Current.CancellationToken);
        }

        var view = await GetJobAsync(api, job.Id, deadline.Token);
        view.Status.ShouldBe("succeeded");
        view.Attempt.ShouldBe(1);
        (await ExecutionCounter.ReadAsync(Fixture.Redis, counter)).ShouldBe(new ExecutionCounter(Started: 1, Active: 0, MaxActive: 1));
    }
}
