using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One job's events for one client: everything after the client's Last-Event-ID from PostgreSQL, then live
/// events from Redis. A live event that skips ahead (a lost or dropped message) or a quiet spell sends the
/// stream back to PostgreSQL, so the client sees every event once, in order, and the stream ends after the
/// terminal event.
/// </summary>
public sealed class JobEventFeed(JobEventHub hub, JobEventHistory history, IOptions<StreamOptions> options)
{
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(Guid jobId, Guid tenantId, int afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Subscribe before reading history, so nothing committed in between is missed.
        using var live = hub.Subscribe(jobId);
        var last = afterSequence;
        var first = true;
        while (true)
        {
            foreach (var stored in await history.ReadAfterAsync(jobId, last, cancellationToken))
            {
                yield return ToItem(stored, first ? settings.ClientRetry : null);
                first = false;
                last = stored.Sequence;
                if (JobEventTypes.IsTerminal(stored.Type))
                {
                    yield break;
                }
            }

            if (await history.FindAsync(jobId, tenantId, cancellationToken) is not { } job ||
                (JobStateMachine.IsTerminal(job.State) && job.LastSequence <= last))
            {
                yield break;
            }

            while (await live.NextAsync(settings.CatchUpInterval, cancellationToken) is { } next)
            {
                if (next.Sequence <= last)
                {
                    continue;
                }

                if (next.Sequence != last + 1)
                {
                    break;
                }

                yield return ToItem(next, first ? settings.ClientRetry : null);
                first = false;
                last = next.Sequence;
                if (JobEventTypes.IsTerminal(next.Type))
                {
                    yield break;
                }
            }
        }
    }

    private static SseItem<string> ToItem(JobEventMessage jobEvent, TimeSpan? retry) =>
        new(jobEvent.Data, jobEvent.Type)
        {
            EventId = jobEvent.Sequence.ToString(CultureInfo.InvariantCulture),
            ReconnectionInterval = retry,
        };
}
