using AsyncJobs.Core.Events;
using StackExchange.Redis;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// Publishes running jobs' coalesced progress on Redis pub/sub for the notifiers to forward as live SSE frames.
/// Best effort: a job never waits for it or fails because of it; while Redis is unreachable reports are skipped,
/// and that is logged once per outage.
/// </summary>
public sealed partial class LiveProgressPublisher(IConnectionMultiplexer redis, ILogger<LiveProgressPublisher> logger)
{
    private int unavailable;

    public void Publish(LiveProgressMessage message)
    {
        if (!redis.IsConnected)
        {
            if (Interlocked.Exchange(ref unavailable, 1) == 0)
            {
                LogUnavailable();
            }

            return;
        }

        try
        {
            redis.GetSubscriber().Publish(JobEventStreamNames.LiveProgressChannel, message.ToJson(), CommandFlags.FireAndForget);
            if (Interlocked.Exchange(ref unavailable, 0) == 1)
            {
                LogAvailableAgain();
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref unavailable, 1) == 0)
            {
                LogPublishFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: live progress is not published until it is back (durable progress events are unaffected)")]
    private partial void LogUnavailable();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing live progress failed; it is skipped until Redis answers again (durable progress events are unaffected)")]
    private partial void LogPublishFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is reachable again: live progress is published")]
    private partial void LogAvailableAgain();
}
