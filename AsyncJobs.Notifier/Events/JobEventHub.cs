using System.Collections.Concurrent;
using System.Threading.Channels;
using AsyncJobs.Core.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One Redis subscription per notifier process, fanned out in memory to the streams watching each job,
/// so thousands of open streams cost no thread and no database connection each.
/// </summary>
public sealed partial class JobEventHub(IConnectionMultiplexer redis, IOptions<StreamOptions> options, ILogger<JobEventHub> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> byJob = new();

    public Subscription Subscribe(Guid jobId)
    {
        var subscription = new Subscription(this, jobId, Channel.CreateBounded<JobEventMessage>(
            new BoundedChannelOptions(options.Value.BufferPerStream) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        byJob.GetOrAdd(jobId, _ => new ConcurrentDictionary<Subscription, byte>())[subscription] = 0;
        return subscription;
    }

    public async Task StartAsync(CancellationToken cancellationToken) =>
        await redis.GetSubscriber().SubscribeAsync(JobEventPublisher.Channel, (_, message) => Dispatch(message));

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await redis.GetSubscriber().UnsubscribeAsync(JobEventPublisher.Channel);

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

        if (jobEvent is not null && byJob.TryGetValue(jobEvent.JobId, out var subscriptions))
        {
            foreach (var subscription in subscriptions.Keys)
            {
                subscription.Writer.TryWrite(jobEvent);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        if (byJob.TryGetValue(subscription.JobId, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
            if (subscriptions.IsEmpty)
            {
                byJob.TryRemove(KeyValuePair.Create(subscription.JobId, subscriptions));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed job event message from Redis")]
    private partial void LogMalformedMessage(Exception exception);

    /// <summary>A stream's view of one job's live events; dispose it when the client goes away.</summary>
    public sealed class Subscription(JobEventHub hub, Guid jobId, Channel<JobEventMessage> channel) : IDisposable
    {
        public Guid JobId { get; } = jobId;

        internal ChannelWriter<JobEventMessage> Writer => channel.Writer;

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
