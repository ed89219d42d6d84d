namespace AsyncJobs.Bench.Results;

/// <summary>One bar of a throughput chart: <paramref name="Group"/> (e.g. "64 clients") holds AsyncJobs and its baselines.</summary>
public sealed record ThroughputBar(string Group, string Label, bool IsBaseline, double PerSecond);
