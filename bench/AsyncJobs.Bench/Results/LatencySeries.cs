using AsyncJobs.Bench.Load;

namespace AsyncJobs.Bench.Results;

/// <summary>A latency distribution to chart: AsyncJobs or a baseline, in one scenario.</summary>
public sealed record LatencySeries(string Label, bool IsBaseline, LatencySummary Summary);
