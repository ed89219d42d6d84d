using AsyncJobs.Worker.Execution;
using Shouldly;

namespace AsyncJobs.UnitTests.Execution;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(5, 16_000)]
    [InlineData(6, 30_000)]
    [InlineData(60, 30_000)]
    public void Delays_stay_within_the_exponential_ceiling(int attempt, int ceilingMs)
    {
        var random = new Random(attempt);
        var delays = Enumerable.Range(0, 500).Select(_ => RetryBackoff.Delay(attempt, Base, Max, random).TotalMilliseconds).ToList();

        delays.ShouldAllBe(d => d >= 0 && d <= ceilingMs);
        // Full jitter spreads retries over the whole range rather than bunching them at the ceiling.
        delays.Min().ShouldBeLessThan(ceilingMs * 0.1);
        delays.Max().ShouldBeGreaterThan(ceilingMs * 0.9);
    }
}
