namespace AsyncJobs.Bench.Results;

/// <summary>The targets of issue 8 on this 2-core machine.</summary>
public static class IssueTargets
{
    public static readonly Target AcceptRateAt64 = new("≥ 5,000/s and ≥ 10x Enqueue", AtLeast: 5_000, RatioAtLeast: 10);
    public static readonly Target AcceptP99At16 = new("≤ 25 ms", AtMost: 25);
    public static readonly Target Relay = new("≥ 2x Enqueue", RatioAtLeast: 2);
    public static readonly Target PickupIdleP50 = new("≤ 25 ms", AtMost: 25);
    public static readonly Target PickupIdleP99 = new("≤ 100 ms", AtMost: 100);
    public static readonly Target Drain = new("≥ 0.8x Hangfire", RatioAtLeast: 0.8);
    public static readonly Target EventP99OneStream = new("≤ 50 ms", AtMost: 50);
    public static readonly Target EventP99ManyStreams = new("≤ 250 ms (at 10,000)", AtMost: 250);
    public static readonly Target MemoryPerStream = new("≤ 20 KB", AtMost: 20);
    public static readonly Target ProgressWrites = new("≤ 5/s", AtMost: 5);
    public static readonly Target ProgressSeen = new("≥ 10/s", AtLeast: 10);
    public static readonly Target CancelP99 = new("≤ 1 s (p99)", AtMost: 1_000);
    public static readonly Target Recovery = new("≤ 60 s", AtMost: 60);
}
