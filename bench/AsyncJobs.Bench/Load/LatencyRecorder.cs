using System.Diagnostics;

namespace AsyncJobs.Bench.Load;

/// <summary>Collects latencies from many concurrent loops; each loop keeps its own list, merged at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly Lock gate = new();
    private readonly List<List<double>> lists = [];

    public List<double> NewList()
    {
        var list = new List<double>(4096);
        lock (gate)
        {
            lists.Add(list);
        }

        return list;
    }

    public LatencySummary Summarize()
    {
        lock (gate)
        {
            return LatencySummary.Of(lists.SelectMany(l => l));
        }
    }

    public static double MillisecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
