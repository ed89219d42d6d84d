using System.Threading.Channels;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One stream's view of the hub: a bounded queue of live items, read by that stream alone. A slow consumer whose
/// queue is full loses live progress frames and heartbeats (newer news follows) but never a durable event: the
/// queue is closed instead, the stream ends, and the client resumes with <c>Last-Event-ID</c>. Dispose it when the
/// client goes away.
/// </summary>
public sealed class HubSubscription : IDisposable
{
    private readonly Channel<HubItem> queue;
    private readonly Action<HubSubscription> remove;
    private int overflowed;
    private int disposed;
    private int active;

    internal HubSubscription(Guid key, bool tenantWide, int capacity, Action<HubSubscription> remove)
    {
        Key = key;
        TenantWide = tenantWide;
        this.remove = remove;
        queue = Channel.CreateBounded<HubItem>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public Guid Key { get; }

    public bool TenantWide { get; }

    /// <summary>True once a durable event did not fit: the stream must end after what it has, so the client resumes.</summary>
    public bool Overflowed => Volatile.Read(ref overflowed) != 0;

    public bool TryRead(out HubItem item) => queue.Reader.TryRead(out item);

    /// <summary>False when the queue is closed: the subscription was disposed or overflowed.</summary>
    public ValueTask<bool> WaitToReadAsync() => queue.Reader.WaitToReadAsync();

    /// <summary>The stream wrote something: no heartbeat is due at the next tick.</summary>
    public void MarkActive() => Volatile.Write(ref active, 1);

    internal void Offer(HubItem item)
    {
        if (!queue.Writer.TryWrite(item) && item.Durable is not null && Interlocked.Exchange(ref overflowed, 1) == 0)
        {
            queue.Writer.TryComplete();
        }
    }

    /// <summary>True when the stream wrote nothing since the last call.</summary>
    internal bool TakeIdle() => Interlocked.Exchange(ref active, 0) == 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            remove(this);
            queue.Writer.TryComplete();
        }
    }
}
