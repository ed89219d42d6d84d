using System.Collections.Concurrent;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// The hub's subscriptions for one key (a job, or a tenant's wide streams), with their number at hand: counting a
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> takes every one of its locks. Adding and removing take this set's
/// lock; delivering enumerates <see cref="Members"/> without it. A set emptied by its last removal is retired, so a
/// subscriber that raced with that removal adds itself to the set that replaces it, never to one no event reaches.
/// </summary>
internal sealed class KeySubscriptions
{
    private readonly Lock gate = new();
    private int count;
    private bool retired;

    public ConcurrentDictionary<HubSubscription, byte> Members { get; } = new();

    public int Count => Volatile.Read(ref count);

    /// <summary>False when this set is retired: take the key's current set and try again.</summary>
    public bool TryAdd(HubSubscription subscription)
    {
        lock (gate)
        {
            if (retired)
            {
                return false;
            }

            Members[subscription] = 0;
            count++;
            return true;
        }
    }

    /// <summary>Removes <paramref name="subscription"/>; true when that left the set empty, and so retired.</summary>
    public bool RemoveAndRetireIfEmpty(HubSubscription subscription)
    {
        lock (gate)
        {
            if (Members.TryRemove(subscription, out _))
            {
                count--;
            }

            retired = count == 0;
            return retired;
        }
    }
}
