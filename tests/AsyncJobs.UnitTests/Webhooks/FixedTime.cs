namespace AsyncJobs.UnitTests.Webhooks;

/// <summary>A clock stopped at one instant, so timestamp tolerance is tested to the second.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
