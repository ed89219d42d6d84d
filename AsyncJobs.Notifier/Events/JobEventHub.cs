using System.Collections.Concurrent;
using System.Threading.Channels;
using AsyncJobs.Core.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One reader of the Redis event stream per notifier process, fanned out in memory to the streams watching a job
/// or a tenant, so thousands of open streams cost no thread and no database connection each. The reader wakes on
/// the relay's publish (StackExchange.Redis cannot block on XREAD) and polls as a fallback.
/// </summary>
public sealed partial class JobEventHub(IConnectionMultiplexer redis, IOptions<StreamOptions> options, ILogger<JobEventHub> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> byKey = new();
    private readonly SemaphoreSlim wake = new(0, 1);
    private int openSubscriptions;
    private long lastDispatchedEventId;
    private int resyncEpoch;

    public int OpenSubscriptions => Volatile.Read(ref openSubscriptions);

    /// <summary>
    /// The newest event id handed to subscribers. It is raised BEFORE an event is delivered, so a stream that
    /// subscribes and then reads it knows every later event reaches it live, and every earlier one is committed.
    /// </summary>
    public long LastDispatchedEventId => Interlocked.Read(ref lastDispatchedEventId);

    /// <summary>Raised when the reader recovers from a Redis failure: streams must re-check PostgreSQL.</summary>
    public int ResyncEpoch => Volatile.Read(ref resyncEpoch);

    /// <summary>Live events of one job, or (with <paramref name="tenantWide"/>) of all jobs of one tenant.</summary>
    public Subscription Subscribe(Guid key, bool tenantWide = false)
    {
        var capacity = options.Value.BufferPerStream;
        var subscription = new Subscription(this, key, tenantWide, Channel.CreateBounded<JobEventMessage>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }), capacity);
        byKey.GetOrAdd(key, _ => new ConcurrentDictionary<Subscription, byte>())[subscription] = 0;
        Interlocked.Increment(ref openSubscriptions);
        return subscription;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(JobEventStreamNames.WakeChannel, (_, _) => Wake());
        RedisValue position = RedisValue.Null;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var database = redis.GetDatabase();
                if (position.IsNull)
                {
                    // Start at the stream's end: streams catch up on anything older from PostgreSQL.
                    var last = await database.StreamRangeAsync(JobEventStreamNames.Stream, "-", "+", count: 1, messageOrder: Order.Descending);
                    position = last.Length > 0 ? last[0].Id : "0-0";
                    if (last.Length > 0 && JobEventMessage.FromJson(last[0][JobEventStreamNames.EventField].ToString()) is { } newest)
                    {
                        RaiseLastDispatched(newest.EventId);
                    }
                }

                var entries = await database.StreamReadAsync(JobEventStreamNames.Stream, position, count: 1000);
                foreach (var entry in entries)
                {
                    Dispatch(entry[JobEventStreamNames.EventField]);
                    position = entry.Id;
                }

                if (failing)
                {
                    failing = false;
                    Interlocked.Increment(ref resyncEpoch);
                }

                if (entries.Length < 1000)
                {
                    await wake.WaitAsync(options.Value.StreamPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogStreamReadFailed(exception);
                failing = true;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await subscriber.UnsubscribeAsync(JobEventStreamNames.WakeChannel);
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private void Dispatch(RedisValue message)
    {
        JobEventMessage? jobEvent;
        try
        {
            jobEvent = JobEventMessage.FromJson(message.ToString());
        }
        catch (System.Text.Json.JsonException exception)
        {
            LogMalformedMessage(exception);
            return;
        }

        if (jobEvent is null)
        {
            return;
        }

        RaiseLastDispatched(jobEvent.EventId);
        Deliver(jobEvent.JobId, jobEvent, tenantWide: false);
        Deliver(jobEvent.TenantId, jobEvent, tenantWide: true);
    }

    private void RaiseLastDispatched(long eventId)
    {
        long current;
        while (eventId > (current = Interlocked.Read(ref lastDispatchedEventId)) &&
            Interlocked.CompareExchange(ref lastDispatchedEventId, eventId, current) != current)
        {
        }
    }

    private void Deliver(Guid key, JobEventMessage jobEvent, bool tenantWide)
    {
        if (byKey.TryGetValue(key, out var subscriptions))
        {
            foreach (var subscription in subscriptions.Keys)
            {
                if (subscription.TenantWide == tenantWide)
                {
                    subscription.Offer(jobEvent);
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        Interlocked.Decrement(ref openSubscriptions);
        if (byKey.TryGetValue(subscription.Key, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
            if (subscriptions.IsEmpty)
            {
                byKey.TryRemove(KeyValuePair.Create(subscription.Key, subscriptions));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed job event in the Redis stream")]
    private partial void LogMalformedMessage(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the Redis event stream failed; streams fall back to PostgreSQL until it recovers")]
    private partial void LogStreamReadFailed(Exception exception);

    /// <summary>A stream's view of live events; dispose it when the client goes away.</summary>
    public sealed class Subscription(JobEventHub hub, Guid key, bool tenantWide, Channel<JobEventMessage> channel, int capacity) : IDisposable
    {
        private int dropped;

        public Guid Key { get; } = key;

        public bool TenantWide { get; } = tenantWide;

        /// <summary>True (once) when events were dropped since the last call: the reader must catch up from PostgreSQL.</summary>
        public bool TakeOverflow() => Interlocked.Exchange(ref dropped, 0) != 0;

        internal void Offer(JobEventMessage jobEvent)
        {
            if (channel.Reader.Count >= capacity)
            {
                Interlocked.Exchange(ref dropped, 1);
            }

            channel.Writer.TryWrite(jobEvent);
        }

        /// <summary>The next live event, or null when none arrived within <paramref name="timeout"/>.</summary>
        public async Task<JobEventMessage?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (channel.Reader.TryRead(out var ready))
            {
                return ready;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            try
            {
                return await channel.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }

        public void Dispose()
        {
            hub.Remove(this);
            channel.Writer.TryComplete();
        }
    }
}
