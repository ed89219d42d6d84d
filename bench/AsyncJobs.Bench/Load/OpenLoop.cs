using System.Diagnostics;

namespace AsyncJobs.Bench.Load;

/// <summary>
/// Open-loop load: operations start on a fixed schedule whether or not earlier ones answered, the way
/// independent users arrive, so a slow target builds a queue instead of slowing the arrivals down.
/// </summary>
public static class OpenLoop
{
    public static async Task<int> RunAsync(double perSecond, TimeSpan duration, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var total = (int)Math.Round(perSecond * duration.TotalSeconds);
        var started = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            var index = i;
            started.Add(Task.Run(() => operation(index, cancellationToken), cancellationToken));
        }

        await Task.WhenAll(started);
        return total;
    }
}
