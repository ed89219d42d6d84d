using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AsyncJobs.Core.Events;

/// <summary>
/// Tells every worker at once that a running job's cancellation was requested (Redis pub/sub, message = job id).
/// The durable truth is <c>jobs.cancel_requested_at</c>; workers also poll it, so a lost signal only delays the cancel.
/// </summary>
public sealed partial class JobCancellationSignal(IConnectionMultiplexer redis, ILogger<JobCancellationSignal> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("asyncjobs:job-cancel");

    public async Task PublishAsync(Guid jobId)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, jobId.ToString());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogSignalFailed(jobId, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cancel signal for job {JobId} did not reach Redis; workers will see the request when they poll")]
    private partial void LogSignalFailed(Guid jobId, Exception exception);
}
