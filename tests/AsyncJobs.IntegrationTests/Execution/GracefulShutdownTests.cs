using System.Diagnostics;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>SIGTERM: the worker takes no new job, lets running ones finish within the grace period, and hands back the rest.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class GracefulShutdownTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    [Fact]
    public async Task A_stopping_worker_finishes_short_jobs_and_hands_back_long_ones_without_using_an_attempt()
    {
        using var deadline = StartDeadline();
        await Fixture.OnlyFirstWorkerAsync(deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var shortCounter = ExecutionCounter.NewKey("shutdown-short");
        var longCounter = ExecutionCounter.NewKey("shutdown-long");
        // The short job ends within the 4 s grace period; the long one cannot.
        var shortJob = await SubmitAsync(api, new { steps = 5, stepDurationMs = 500, executionCounterKey = shortCounter }, deadline.Token, maxAttempts: 1);
        var longJob = await SubmitAsync(api, new { steps = 20, stepDurationMs = 500, executionCounterKey = longCounter }, deadline.Token, maxAttempts: 1);
        var shortSeen = new List<TimelineEvent>();
        var longSeen = new List<TimelineEvent>();
        await using var shortStream = JobTimeline.ReadAsync(notifier, new Uri(shortJob.Links.Events), lastEventId: null, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await using var longStream = JobTimeline.ReadAsync(notifier, new Uri(longJob.Links.Events), lastEventId: null, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await WaitForAsync(shortStream, "job.running", shortSeen);
        await WaitForAsync(longStream, "job.running", longSeen);

        var stopping = Stopwatch.StartNew();
        var stoppedAt = DateTimeOffset.UtcNow;
        try
        {
            await Fixture.Topology.StopAsync("worker");
            var stopDuration = stopping.Elapsed;

            var shortDone = await WaitForAsync(shortStream, "job.succeeded", shortSeen);
            var handedBack = await WaitForAsync(longStream, "job.retrying", longSeen);
            Report($"worker exited {stopDuration.TotalSeconds:0.0} s after SIGTERM; short job finished {(shortDone.OccurredAt - stoppedAt).TotalSeconds:0.0} s in; " +
                $"long job handed back {(handedBack.OccurredAt - stoppedAt).TotalSeconds:0.0} s in (grace {ExecutionTopologyFixture.ShutdownGracePeriod.TotalSeconds:0} s)");
            shortDone.Attempt.ShouldBe(1);
            handedBack.ErrorType.ShouldBe("worker_shutdown", JobTimeline.Describe(longSeen));
            handedBack.Attempt.ShouldBe(0, "a hand-back does not use up one of the job's attempts");
            (handedBack.OccurredAt - stoppedAt).ShouldBeGreaterThanOrEqualTo(ExecutionTopologyFixture.ShutdownGracePeriod - TimeSpan.FromMilliseconds(500));
            // Bounded by Hangfire's ShutdownTimeout (grace + HandBackTimeout 5 s), which cuts off its own dispatchers if they hang.
            stopDuration.ShouldBeLessThan(ExecutionTopologyFixture.ShutdownGracePeriod + TimeSpan.FromSeconds(8));

            await Fixture.Topology.StartServiceAsync("worker", deadline.Token);
            await WaitForAsync(longStream, "job.running", longSeen, attempt: 1);
            var longDone = await WaitForAsync(longStream, "job.succeeded", longSeen);
            longDone.Attempt.ShouldBe(1);
        }
        finally
        {
            await Fixture.EnsureRunningAsync("worker", TestContext.Current.CancellationToken);
        }

        (await GetJobAsync(api, longJob.Id, deadline.Token)).Status.ShouldBe("succeeded");
        (await ExecutionCounter.ReadAsync(Fixture.Redis, shortCounter)).ShouldBe(new ExecutionCounter(Started: 1, Active: 0, MaxActive: 1));
        (await ExecutionCounter.ReadAsync(Fixture.Redis, longCounter)).ShouldBe(new ExecutionCounter(Started: 2, Active: 0, MaxActive: 1));
    }
}
