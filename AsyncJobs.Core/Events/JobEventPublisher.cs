using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AsyncJobs.Core.Events;

/// <summary>
/// Fans a committed job event out to every notifier through Redis. PostgreSQL already holds the event,
/// so a failed publish loses nothing: subscribers catch up from the database.
/// </summary>
public sealed partial class JobEventPublisher(IConnectionMultiplexer redis, ILogger<JobEventPublisher> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("asyncjobs:job-events");

    public async Task PublishAsync(JobEventMessage jobEvent)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, jobEvent.ToJson());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogPublishFailed(jobEvent.JobId, jobEvent.Sequence, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Sequence} of job {JobId} was not published to Redis; subscribers will read it from PostgreSQL")]
    private partial void LogPublishFailed(Guid jobId, int sequence, Exception exception);
}
