namespace AsyncJobs.Bench.Load;

/// <summary>What a load run did in its measured part.</summary>
public sealed record LoadResult(int Succeeded, int Failed, TimeSpan Elapsed, LatencySummary Latency, string? FirstError)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;

    /// <summary>A target that answered nothing right measured nothing: that is a broken scenario, not a slow one.</summary>
    public LoadResult EnsureSomeSucceeded(string target) => Succeeded > 0
        ? this
        : throw new InvalidOperationException($"{target}: no operation succeeded ({Failed} failed; first error: {FirstError ?? "none"}).");
}
