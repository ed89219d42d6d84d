using StackExchange.Redis;

namespace AsyncJobs.Core.Events;

/// <summary>Where job events travel in Redis: one stream, ordered by event id, a wake-up channel for its readers, and a channel for live progress.</summary>
public static class JobEventStreamNames
{
    public static readonly RedisKey Stream = "asyncjobs:events";

    /// <summary>The entry field holding the <see cref="JobEventMessage"/> JSON.</summary>
    public static readonly RedisValue EventField = "event";

    /// <summary>Published after each relayed batch so readers need not poll (StackExchange.Redis has no blocking XREAD).</summary>
    public static readonly RedisChannel WakeChannel = RedisChannel.Literal("asyncjobs:events:wake");

    /// <summary>Live (not durable) progress of running jobs, coalesced by the worker: <see cref="LiveProgressMessage"/> JSON.</summary>
    public static readonly RedisChannel LiveProgressChannel = RedisChannel.Literal("asyncjobs:progress:live");

    /// <summary>Entries kept (approximately); older events are read from PostgreSQL.</summary>
    public const int MaxLength = 100_000;
}
