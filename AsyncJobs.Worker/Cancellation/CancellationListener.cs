using AsyncJobs.Core.Events;
using AsyncJobs.Worker.Execution;
using StackExchange.Redis;

namespace AsyncJobs.Worker.Cancellation;

/// <summary>
/// Stops a running handler the moment its job's cancellation is requested: the API publishes the job id on
/// Redis after flagging the row. Hangfire's own check would take up to 5 s; this takes milliseconds.
/// A lost message only delays the cancel to the next <see cref="CancelRequestPoller"/> pass.
/// </summary>
public sealed partial class CancellationListener(
    IConnectionMultiplexer redis,
    RunningJobs runningJobs,
    ILogger<CancellationListener> logger) : BackgroundService
{
    private static readonly TimeSpan ResubscribeDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        try
        {
            await SubscribeAsync(subscriber, stoppingToken);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            await subscriber.UnsubscribeAsync(JobCancellationSignal.Channel, OnSignal);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The process is stopping; the subscription dies with its connection.
        }
    }

    private async Task SubscribeAsync(ISubscriber subscriber, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                // Once subscribed, the multiplexer restores the subscription itself after a reconnect.
                await subscriber.SubscribeAsync(JobCancellationSignal.Channel, OnSignal);
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogSubscribeFailed(exception);
                await Task.Delay(ResubscribeDelay, stoppingToken);
            }
        }
    }

    private void OnSignal(RedisChannel channel, RedisValue message)
    {
        if (Guid.TryParse(message.ToString(), out var jobId) && runningJobs.TryStop(jobId, StopReason.CancelRequested))
        {
            LogCancelSignalled(jobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel signal for job {JobId}: stopping its handler")]
    private partial void LogCancelSignalled(Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to cancel signals; retrying (cancel requests are still polled from the database)")]
    private partial void LogSubscribeFailed(Exception exception);
}
