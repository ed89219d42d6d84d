using System.Runtime.CompilerServices;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// The frames one client receives: what it missed (from PostgreSQL), then live events (from the hub), each durable
/// event once and in order, live progress frames between them, and heartbeats while idle. A live frame older than a
/// durable event already sent is dropped, and none follows a job's terminal event.
/// </summary>
public sealed class JobEventFeed(JobEventHub hub, JobEventHistory history)
{
    /// <summary>
    /// One job's events after <paramref name="afterSequence"/>; without one, the job's current state first.
    /// Per-job sequences have no gaps, so a live event that skips ahead sends the feed back to PostgreSQL.
    /// Ends after the terminal event, or early (without it) when the client is too slow to keep up.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadJobAsync(Guid jobId, Guid tenantId, int? afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading PostgreSQL, so nothing committed in between is missed.
        using var live = hub.Subscribe(jobId);
        await using var release = DisposeOnCancel(live, cancellationToken);
        var epoch = hub.ResyncEpoch;
        int last;
        var catchUp = afterSequence is not null;
        if (afterSequence is { } after)
        {
            last = after;
        }
        else
        {
            var current = await history.ReadLatestAsync(jobId, cancellationToken);
            if (current is null)
            {
                yield break;
            }

            yield return EventFrames.Durable(current, current.Sequence);
            last = current.Sequence;
            if (JobEventTypes.IsTerminal(current.Type))
            {
                yield break;
            }

            // Subscribed before reading the newest event: every later one reaches this stream live, so there is
            // nothing to catch up on (two queries fewer per stream opened without Last-Event-ID).
        }

        while (true)
        {
            if (catchUp)
            {
                foreach (var stored in await history.ReadJobAfterAsync(jobId, last, cancellationToken))
                {
                    yield return EventFrames.Durable(stored, stored.Sequence);
                    last = stored.Sequence;
                    if (JobEventTypes.IsTerminal(stored.Type))
                    {
                        yield break;
                    }
                }

                if (await history.FindAsync(jobId, tenantId, cancellationToken) is not { } job || (JobStateMachine.IsTerminal(job.State) && job.LastSequence <= last))
                {
                    yield break;
                }

                catchUp = false;
            }

            if (!live.TryRead(out var item))
            {
                if (!await live.WaitToReadAsync())
                {
                    // Disposed (the client went away) or overflowed (too slow): either way this response ends here.
                    cancellationToken.ThrowIfCancellationRequested();
                    yield break;
                }

                continue;
            }

            if (hub.ResyncEpoch != epoch)
            {
                epoch = hub.ResyncEpoch;
                catchUp = true;
                continue;
            }

            live.MarkActive();
            if (item.IsHeartbeat)
            {
                yield return EventFrames.Heartbeat;
            }
            else if (item.Live is { } progress)
            {
                if (progress.AfterSequence >= last)
                {
                    yield return progress.Frame;
                }
            }
            else if (item.Durable is { } durable)
            {
                var next = durable.Message;
                if (next.Sequence <= last)
                {
                    continue;
                }

                if (next.Sequence != last + 1)
                {
                    catchUp = true;
                    continue;
                }

                yield return durable.JobFrame;
                last = next.Sequence;
                if (JobEventTypes.IsTerminal(next.Type))
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// All of a tenant's events after <paramref name="afterEventId"/> (global event ids); without one, the newest
    /// event of each unfinished job first. Live progress frames only for jobs this stream has seen and that have not
    /// ended. Never ends by itself, except when the client is too slow to keep up.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadTenantAsync(Guid tenantId, long? afterEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var live = hub.Subscribe(tenantId, tenantWide: true);
        await using var release = DisposeOnCancel(live, cancellationToken);
        var epoch = hub.ResyncEpoch;
        var last = afterEventId ?? 0;
        var catchUp = true;
        // The last durable sequence sent per unfinished job: the only jobs that get live frames.
        var running = new Dictionary<Guid, int>();
        while (true)
        {
            if (catchUp)
            {
                // Every event up to the hub's dispatch mark (or the relay's position) is committed, and every later
                // one reaches this subscription live: read PostgreSQL exactly up to there.
                var upTo = Math.Max(hub.LastDispatchedEventId, await history.ReadRelayPositionAsync(cancellationToken));
                if (afterEventId is null && last == 0)
                {
                    foreach (var current in await history.ReadTenantSnapshotAsync(tenantId, upTo, cancellationToken))
                    {
                        Track(running, current);
                        yield return EventFrames.Durable(current, current.EventId);
                    }

                    last = upTo;
                }

                while (last < upTo)
                {
                    var stored = await history.ReadTenantAfterAsync(tenantId, last, upTo, cancellationToken);
                    foreach (var jobEvent in stored)
                    {
                        Track(running, jobEvent);
                        yield return EventFrames.Durable(jobEvent, jobEvent.EventId);
                    }

                    last = stored.Count == 1000 ? stored[^1].EventId : upTo;
                }

                catchUp = false;
            }

            if (!live.TryRead(out var item))
            {
                if (!await live.WaitToReadAsync())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield break;
                }

                continue;
            }

            if (hub.ResyncEpoch != epoch)
            {
                epoch = hub.ResyncEpoch;
                catchUp = true;
                continue;
            }

            live.MarkActive();
            if (item.IsHeartbeat)
            {
                yield return EventFrames.Heartbeat;
            }
            else if (item.Live is { } progress)
            {
                if (running.TryGetValue(progress.JobId, out var sent) && progress.AfterSequence >= sent)
                {
                    yield return progress.Frame;
                }
            }
            else if (item.Durable is { } durable && durable.Message.EventId > last)
            {
                Track(running, durable.Message);
                yield return durable.TenantFrame;
                last = durable.Message.EventId;
            }
        }
    }

    // A static callback with the subscription as its state: no delegate per stream, and no execution context held.
    private static CancellationTokenRegistration DisposeOnCancel(HubSubscription live, CancellationToken cancellationToken) =>
        cancellationToken.UnsafeRegister(static subscription => ((HubSubscription)subscription!).Dispose(), live);

    private static void Track(Dictionary<Guid, int> running, JobEventMessage jobEvent)
    {
        if (JobEventTypes.IsTerminal(jobEvent.Type))
        {
            running.Remove(jobEvent.JobId);
        }
        else if (!running.TryGetValue(jobEvent.JobId, out var sent) || jobEvent.Sequence > sent)
        {
            running[jobEvent.JobId] = jobEvent.Sequence;
        }
    }
}
