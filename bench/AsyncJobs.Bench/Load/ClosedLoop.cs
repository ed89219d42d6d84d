using System.Diagnostics;

namespace AsyncJobs.Bench.Load;

/// <summary>
/// Closed-loop load: each client sends its next request as soon as the previous answer arrives, so the
/// rate is what the target sustains at that concurrency and latency is never hidden by a queue in the client.
/// </summary>
public static class ClosedLoop
{
    /// <summary>
    /// Runs <paramref name="clients"/> loops for warm-up + duration; only the duration is recorded. A
    /// <paramref name="window"/> is told when the recorded part starts and ends.
    /// </summary>
    public static async Task<LoadResult> RunForAsync(
        int clients, TimeSpan warmup, TimeSpan duration, Func<CancellationToken, Task<bool>> operation, CancellationToken cancellationToken,
        CpuWindow? window = null)
    {
        // One untimed call per client first (connections, JIT, pools): on a busy machine a cold first call can
        // outlast a short run's whole window.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            try
            {
                await operation(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Counted in the measured loop, where it repeats.
            }
        }, cancellationToken)));

        var recorder = new LatencyRecorder();
        var succeeded = 0;
        var failed = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureUntil = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var observing = ObserveAsync(window, measureFrom, measureUntil, cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        await observing;
        return new LoadResult(succeeded, failed, duration, recorder.Summarize(), firstError);

        async Task ClientAsync()
        {
            var latencies = recorder.NewList();
            while (true)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= measureUntil)
                {
                    return;
                }

                var ok = false;
                try
                {
                    ok = await operation(cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstError, exception.Message, null);
                }

                var answered = Stopwatch.GetTimestamp();
                // Counted when answered inside the window: a request straddling its start or end belongs to neither side.
                if (sent < measureFrom || answered > measureUntil)
                {
                    continue;
                }

                if (ok)
                {
                    Interlocked.Increment(ref succeeded);
                    latencies.Add(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }
    }

    private static async Task ObserveAsync(CpuWindow? window, long from, long until, CancellationToken cancellationToken)
    {
        if (window is null)
        {
            return;
        }

        await DelayUntilAsync(from, cancellationToken);
        window.Open();
        await DelayUntilAsync(until, cancellationToken);
        window.Close();
    }

    private static Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return remaining > TimeSpan.Zero ? Task.Delay(remaining, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Runs exactly <paramref name="total"/> operations over <paramref name="clients"/> loops (a burst), all recorded.</summary>
    public static async Task<LoadResult> RunCountAsync(
        int clients, int total, Func<int, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var next = -1;
        var succeeded = 0;
        var failed = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(clients, total)).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        return new LoadResult(succeeded, failed, Stopwatch.GetElapsedTime(start), recorder.Summarize(), firstError);

        async Task ClientAsync()
        {
            var latencies = recorder.NewList();
            int index;
            while ((index = Interlocked.Increment(ref next)) < total)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    if (await operation(index, cancellationToken))
                    {
                        Interlocked.Increment(ref succeeded);
                        latencies.Add(LatencyRecorder.MillisecondsSince(sent));
                        continue;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstError, exception.Message, null);
                }

                Interlocked.Increment(ref failed);
            }
        }
    }
}
