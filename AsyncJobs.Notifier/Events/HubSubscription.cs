using System.Threading.Tasks.Sources;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One stream's view of the hub: a bounded queue of live items, read by that stream alone. A slow consumer whose
/// queue is full loses live progress frames and heartbeats (newer news follows) but never a durable event: the
/// queue is closed instead, the stream ends, and the client resumes with <c>Last-Event-ID</c>. Dispose it when the
/// client goes away.
/// </summary>
/// <remarks>
/// A lock, a queue and one reusable wait instead of a bounded <c>Channel</c>: a notifier holds one of these per open
/// stream, so the channel's reader, writer and wait objects were a tenth of an idle stream's memory.
/// </remarks>
public sealed class HubSubscription : IDisposable, IValueTaskSource<bool>
{
    private readonly Lock gate = new();
    private readonly Queue<HubItem> items = new();
    private readonly int capacity;
    private readonly Action<HubSubscription> remove;
    private ManualResetValueTaskSourceCore<bool> wait = new() { RunContinuationsAsynchronously = true };
    private bool waiting;
    private bool closed;
    private int overflowed;
    private int disposed;
    private int active;

    internal HubSubscription(Guid key, bool tenantWide, int capacity, Action<HubSubscription> remove)
    {
        Key = key;
        TenantWide = tenantWide;
        this.capacity = capacity;
        this.remove = remove;
    }

    public Guid Key { get; }

    public bool TenantWide { get; }

    /// <summary>True once a durable event did not fit: the stream must end after what it has, so the client resumes.</summary>
    public bool Overflowed => Volatile.Read(ref overflowed) != 0;

    public bool TryRead(out HubItem item)
    {
        lock (gate)
        {
            return items.TryDequeue(out item);
        }
    }

    /// <summary>
    /// True when an item is ready; false when the queue is closed (disposed or overflowed) and empty. One reader,
    /// one wait at a time.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (gate)
        {
            if (items.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (closed)
            {
                return new ValueTask<bool>(false);
            }

            wait.Reset();
            waiting = true;
            return new ValueTask<bool>(this, wait.Version);
        }
    }

    /// <summary>The stream wrote something: no heartbeat is due at the next tick.</summary>
    public void MarkActive() => Volatile.Write(ref active, 1);

    internal void Offer(HubItem item)
    {
        bool ready;
        lock (gate)
        {
            if (closed)
            {
                return;
            }

            if (items.Count < capacity)
            {
                items.Enqueue(item);
            }
            else if (item.Durable is not null)
            {
                Volatile.Write(ref overflowed, 1);
                closed = true;
            }
            else
            {
                return;
            }

            if (!waiting)
            {
                return;
            }

            waiting = false;
            ready = items.Count > 0;
        }

        wait.SetResult(ready);
    }

    /// <summary>True when the stream wrote nothing since the last call.</summary>
    internal bool TakeIdle() => Interlocked.Exchange(ref active, 0) == 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        remove(this);
        bool wake;
        lock (gate)
        {
            closed = true;
            wake = waiting;
            waiting = false;
        }

        if (wake)
        {
            wait.SetResult(false);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => wait.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        wait.OnCompleted(continuation, state, token, flags);
}
