using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Worker.Execution;
using Shouldly;

namespace AsyncJobs.UnitTests.Execution;

public sealed class RunningJobsTests
{
    [Fact]
    public void The_first_stop_reason_wins_and_cancels_the_token()
    {
        var running = new RunningJobs(TimeProvider.System).Register(Started(Guid.NewGuid(), attempt: 1));

        running.Stop(StopReason.CancelRequested).ShouldBeTrue();
        running.Stop(StopReason.Timeout).ShouldBeFalse();

        running.StopReason.ShouldBe(StopReason.CancelRequested);
        SpinWait.SpinUntil(() => running.Token.IsCancellationRequested, TimeSpan.FromSeconds(5)).ShouldBeTrue();
    }

    [Fact]
    public void A_signal_for_a_job_not_running_here_changes_nothing()
    {
        var jobs = new RunningJobs(TimeProvider.System);
        var running = jobs.Register(Started(Guid.NewGuid(), attempt: 1));

        jobs.TryStop(Guid.NewGuid(), StopReason.CancelRequested).ShouldBeFalse();
        jobs.Unregister(running);
        jobs.TryStop(running.JobId, StopReason.CancelRequested).ShouldBeFalse();

        running.StopReason.ShouldBe(StopReason.None);
        jobs.Count.ShouldBe(0);
    }

    [Fact]
    public void A_newer_attempt_of_the_same_job_replaces_the_older_which_has_lost_its_lease()
    {
        var jobs = new RunningJobs(TimeProvider.System);
        var id = Guid.NewGuid();
        var older = jobs.Register(Started(id, attempt: 1));
        var newer = jobs.Register(Started(id, attempt: 2));

        older.StopReason.ShouldBe(StopReason.LeaseLost);
        jobs.Unregister(older);
        jobs.Snapshot().ShouldBe([newer]);
    }

    private static StartedJob Started(Guid id, int attempt) =>
        new(id, Guid.NewGuid(), "demo.simulate", "{}", attempt, MaxAttempts: 3, TimeoutSeconds: 60, CorrelationId: null, TraceParent: null,
            new JobEventMessage(1, Guid.NewGuid(), id, 1, JobEventTypes.Running, "{}"));
}
