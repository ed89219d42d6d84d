namespace AsyncJobs.Worker.Execution;

/// <summary>
/// Hands on at most one report per interval, always the latest: the first report after a quiet interval goes at
/// once, later ones wait for the interval to pass and replace each other meanwhile.
/// </summary>
public sealed class ProgressCoalescer<T>(Func<T, Task> handOn, TimeSpan interval) : IAsyncDisposable
    where T : class
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim reported = new(0);
    private readonly CancellationTokenSource stopping = new();
    private T? pending;
    private bool signalled;
    private bool stopped;
    private bool waiting;
    private Task? loop;

    /// <summary>Takes a report; true when it is handed on at once (the interval since the last one has passed).</summary>
    public bool Report(T value)
    {
        lock (gate)
        {
            if (stopped)
            {
                return false;
            }

            pending = value;
            if (signalled)
            {
                return false;
            }

            var atOnce = loop is null || waiting;
            loop ??= Task.Run(HandOnLoopAsync);
            signalled = true;
            reported.Release();
            return atOnce;
        }
    }

    /// <summary>Stops handing on reports; what is still pending stays for <see cref="HandOnPendingAsync"/>.</summary>
    public async Task StopAsync()
    {
        lock (gate)
        {
            stopped = true;
        }

        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
    }

    /// <summary>Hands on the last pending report, if any.</summary>
    public async Task HandOnPendingAsync()
    {
        T? value;
        lock (gate)
        {
            value = pending;
            pending = null;
            signalled = false;
        }

        if (value is not null)
        {
            await handOn(value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
        reported.Dispose();
    }

    private async Task HandOnLoopAsync()
    {
        try
        {
            while (true)
            {
                lock (gate)
                {
                    waiting = true;
                }

                await reported.WaitAsync(stopping.Token);
                lock (gate)
                {
                    waiting = false;
                }

                // Never cancelled midway: a cancelled write may already have taken a job_events id and roll it back,
                // and the event relay waits at such a gap (GapTimeout) before it moves on.
                await HandOnPendingAsync();
                await Task.Delay(interval, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
