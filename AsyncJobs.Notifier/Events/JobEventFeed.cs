using System.Runtime.CompilerServices;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// The events one client receives: what it missed (from PostgreSQL), then live events (from the hub), each once
/// and in order. A <c>null</c> item means the stream is idle and a heartbeat is due.
/// </summary>
public sealed class JobEventFeed(JobEventHub hub, JobEventHistory history, IOptions<StreamOptions> options)
{
    /// <summary>
    /// One job's events after <paramref name="afterSequence"/>; without one, the job's current state first.
    /// Per-job sequences have no gaps, so a live event that skips ahead sends the feed back to PostgreSQL.
    /// Ends after the terminal event.
    /// </summary>
    public async IAsyncEnumerable<JobEventMessage?> ReadJobAsync(Guid jobId, Guid tenantId, int? afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading PostgreSQL, so nothing committed in between is missed.
        using var live = hub.Subscribe(jobId);
        var epoch = hub.ResyncEpoch;
        int last;
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

            yield return current;
            last = current.Sequence;
            if (JobEventTypes.IsTerminal(current.Type))
            {
                yield break;
            }
        }

        var catchUp = true;
        while (true)
        {
            if (catchUp)
            {
                foreach (var stored in await history.ReadJobAfterAsync(jobId, last, cancellationToken))
                {
                    yield return stored;
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

            var next = await live.NextAsync(options.Value.HeartbeatInterval, cancellationToken);
            if (live.TakeOverflow() || hub.ResyncEpoch != epoch)
            {
                epoch = hub.ResyncEpoch;
                catchUp = true;
                continue;
            }

            if (next is null)
            {
                yield return null;
                continue;
            }

            if (next.Sequence <= last)
            {
                continue;
            }

            if (next.Sequence != last + 1)
            {
                catchUp = true;
                continue;
            }

            yield return next;
            last = next.Sequence;
            if (JobEventTypes.IsTerminal(next.Type))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// All of a tenant's events after <paramref name="afterEventId"/> (global event ids); without one, the newest
    /// event of each unfinished job first. Never ends by itself.
    /// </summary>
    public async IAsyncEnumerable<JobEventMessage?> ReadTenantAsync(Guid tenantId, long? afterEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var live = hub.Subscribe(tenantId, tenantWide: true);
        var epoch = hub.ResyncEpoch;
        var last = afterEventId ?? 0;
        var catchUp = true;
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
                        yield return current;
                    }

                    last = upTo;
                }

                while (last < upTo)
                {
                    var stored = await history.ReadTenantAfterAsync(tenantId, last, upTo, cancellationToken);
                    foreach (var jobEvent in stored)
                    {
                        yield return jobEvent;
                    }

                    last = stored.Count == 1000 ? stored[^1].EventId : upTo;
                }

                catchUp = false;
            }

            var next = await live.NextAsync(options.Value.HeartbeatInterval, cancellationToken);
            if (live.TakeOverflow() || hub.ResyncEpoch != epoch)
            {
                epoch = hub.ResyncEpoch;
                catchUp = true;
                continue;
            }

            if (next is null)
            {
                yield return null;
            }
            else if (next.EventId > last)
            {
                yield return next;
                last = next.EventId;
            }
        }
    }
}
