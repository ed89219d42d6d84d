using System.Collections.Concurrent;
using AsyncJobs.Core.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One reader of the Redis event stream per notifier process, fanned out in memory to the streams watching a job
/// or a tenant, so thousands of open streams cost no thread and no database connection each. The reader wakes on
/// the relay's publish (StackExchange.Redis cannot block on XREAD) and polls as a fallback. Each event is encoded
/// once for all streams; live progress frames (Redis pub/sub) take the same way; one timer sends heartbeats to
/// every idle stream.
/// </summary>
public sealed partial class JobEventHub(IConnectionMultiplexer redis, IOptions<StreamOptions> options, TimeProvider time, ILogger<JobEventHub> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, KeySubscriptions> byKey = new();
    private readonly SemaphoreSlim wake = new(0, 1);
    private Action<HubSubscription>? remove; // One delegate for all subscriptions, not one per stream.
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
    public HubSubscription Subscribe(Guid key, bool tenantWide = false)
    {
        var subscription = new HubSubscription(key, tenantWide, options.Value.BufferPerStream, remove ??= Remove);
        while (byKey.GetOrAdd(key, _ => new KeySubscriptions()) is var subscriptions && !subscriptions.TryAdd(subscription))
        {
            // The key's last subscription left just now and retired its set: take the set out (its remover may not have
            // yet), and the next GetOrAdd makes a new one.
            byKey.TryRemove(KeyValuePair.Create(key, subscriptions));
        }

        Interlocked.Increment(ref openSubscriptions);
        return subscription;
    }

    /// <summary>How many streams watch <paramref name="key"/> (a job's id) right now.</summary>
    public int Watching(Guid key) => byKey.TryGetValue(key, out var subscriptions) ? subscriptions.Count : 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(JobEventStreamNames.WakeChannel, (_, _) => Wake());
        var liveProgress = await subscriber.SubscribeAsync(JobEventStreamNames.LiveProgressChannel);
        liveProgress.OnMessage(message => DispatchLive(message.Message));
        var heartbeats = SendHeartbeatsAsync(stoppingToken);
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

        await liveProgress.UnsubscribeAsync();
        await subscriber.UnsubscribeAsync(JobEventStreamNames.WakeChannel);
        await heartbeats;
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

    /// <summary>One timer for all streams: each tick, every stream that wrote nothing since the last one gets a heartbeat.</summary>
    private async Task SendHeartbeatsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (_, subscriptions) in byKey)
                {
                    foreach (var (subscription, _) in subscriptions.Members)
                    {
                        if (subscription.TakeIdle())
                        {
                            subscription.Offer(HubItem.Heartbeat);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
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
        var item = new HubItem(new DispatchedEvent(jobEvent), Live: null);
        Deliver(jobEvent.JobId, item, tenantWide: false);
        Deliver(jobEvent.TenantId, item, tenantWide: true);
    }

    private void DispatchLive(RedisValue message)
    {
        LiveProgressMessage? progress;
        try
        {
            progress = LiveProgressMessage.FromJson(message.ToString());
        }
        catch (System.Text.Json.JsonException exception)
        {
            LogMalformedMessage(exception);
            return;
        }

        if (progress is null || !(byKey.ContainsKey(progress.JobId) || byKey.ContainsKey(progress.TenantId)))
        {
            return;
        }

        var item = new HubItem(Durable: null, new LiveProgressFrame(progress));
        Deliver(progress.JobId, item, tenantWide: false);
        Deliver(progress.TenantId, item, tenantWide: true);
    }

    private void RaiseLastDispatched(long eventId)
    {
        long current;
        while (eventId > (current = Interlocked.Read(ref lastDispatchedEventId)) &&
            Interlocked.CompareExchange(ref lastDispatchedEventId, eventId, current) != current)
        {
        }
    }

    private void Deliver(Guid key, HubItem item, bool tenantWide)
    {
        if (byKey.TryGetValue(key, out var subscriptions))
        {
            // Enumerating the dictionary itself, not .Keys, which would copy every subscription for every event.
            foreach (var (subscription, _) in subscriptions.Members)
            {
                if (subscription.TenantWide == tenantWide)
                {
                    subscription.Offer(item);
                }
            }
        }
    }

    private void Remove(HubSubscription subscription)
    {
        Interlocked.Decrement(ref openSubscriptions);
        if (byKey.TryGetValue(subscription.Key, out var subscriptions) && subscriptions.RemoveAndRetireIfEmpty(subscription))
        {
            byKey.TryRemove(KeyValuePair.Create(subscription.Key, subscriptions));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed job event in Redis")]
    private partial void LogMalformedMessage(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the Redis event stream failed; streams fall back to PostgreSQL until it recovers")]
    private partial void LogStreamReadFailed(Exception exception);
}
