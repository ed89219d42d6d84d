using AsyncJobs.Core.Webhooks;
using Shouldly;

namespace AsyncJobs.UnitTests.Webhooks;

public sealed class WebhookRetryScheduleTests
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 30)]
    [InlineData(3, 120)]
    public void The_nth_failed_attempt_waits_the_nth_delay(int attemptsMade, int seconds) =>
        new WebhookRetrySchedule(Delays, jitter: 0).DelayAfter(attemptsMade, new Random(1)).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    public void After_the_last_delay_the_delivery_is_dead_lettered(int attemptsMade) =>
        new WebhookRetrySchedule(Delays, jitter: 0.2).DelayAfter(attemptsMade, new Random(1)).ShouldBeNull();

    [Fact]
    public void A_delivery_gets_one_attempt_more_than_the_schedule_has_delays() =>
        new WebhookRetrySchedule(Delays, 0.2).MaxAttempts.ShouldBe(4);

    [Fact]
    public void Jitter_spreads_each_wait_within_its_bounds_and_does_spread_it()
    {
        var schedule = new WebhookRetrySchedule(Delays, jitter: 0.2);
        var random = new Random(42);

        var waits = Enumerable.Range(0, 1000).Select(_ => schedule.DelayAfter(2, random)!.Value).ToList();

        waits.ShouldAllBe(w => w >= TimeSpan.FromSeconds(24) && w <= TimeSpan.FromSeconds(36));
        waits.Distinct().Count().ShouldBeGreaterThan(100);
        waits.Min().ShouldBeLessThan(TimeSpan.FromSeconds(26));
        waits.Max().ShouldBeGreaterThan(TimeSpan.FromSeconds(34));
    }

    [Fact]
    public void Refuses_a_delay_that_is_not_positive() =>
        Should.Throw<ArgumentException>(() => new WebhookRetrySchedule([TimeSpan.Zero], 0));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    public void Refuses_jitter_outside_zero_to_one(double jitter) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new WebhookRetrySchedule(Delays, jitter));
}
