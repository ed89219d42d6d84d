using AsyncJobs.Core.Postgres;
using Shouldly;

namespace AsyncJobs.UnitTests.Execution;

public sealed class CostBoundedPauseTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(3, 4_997)]         // cheap: the interval, counted from the start of the run
    [InlineData(250, 4_750)]       // exactly a twentieth of the interval: still the interval
    [InlineData(1_051, 19_969)]    // the gauge's count behind 435,000 waiting jobs: 19 times its cost
    public void The_next_run_waits_the_interval_or_19_times_the_last_cost_at_a_ratio_of_20(int tookMs, int pauseMs) =>
        CostBoundedPause.After(TimeSpan.FromMilliseconds(tookMs), Interval, costRatio: 20).ShouldBe(TimeSpan.FromMilliseconds(pauseMs));

    [Fact]
    public void Without_an_interval_the_pause_is_the_cost_share_alone() =>
        CostBoundedPause.After(TimeSpan.FromMilliseconds(492), TimeSpan.Zero, costRatio: 20).ShouldBe(TimeSpan.FromMilliseconds(9_348));
}
