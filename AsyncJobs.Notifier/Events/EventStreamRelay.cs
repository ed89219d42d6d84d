using AsyncJobs.Core.Events;
using AsyncJobs.Core.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// Copies committed job events from PostgreSQL (the source of truth) into the Redis stream every notifier reads,
/// in id order, exactly where it left off. One notifier leads (advisory lease); the others stand by. While Redis
/// is down nothing is committed, so events that never reached Redis are relayed as soon as it is back.
/// </summary>
public sealed partial class EventStreamRelay(
    NpgsqlDataSource dataSource,
    IConnectionMultiplexer redis,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<EventStreamRelay> logger) : BackgroundService
{
    public const string ConsumerName = "redis-relay";
    private const long LeaseKey = 0x4173_796E_6352_656C;
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUp = new ChannelWakeUp(dataSource, NotifyChannels.JobEvents, logger);
        var listening = wakeUp.ListenAsync(stoppingToken);
        // Its spans (RelaySpans) join each job's trace.
        var tail = new JobEventTail(dataSource, ConsumerName, options.Value.GapTimeout, time, withTraceParent: true);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await AdvisoryLease.TryAcquireAsync(dataSource, LeaseKey, stoppingToken);
                if (lease is null)
                {
                    await Task.Delay(options.Value.RelayStandbyInterval, stoppingToken);
                    continue;
                }

                LogLeading();
                tail.Reset();
                await RelayWhileLeadingAsync(lease, tail, wakeUp, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await listening;
    }

    private async Task RelayWhileLeadingAsync(AdvisoryLease lease, JobEventTail tail, ChannelWakeUp wakeUp, CancellationToken stoppingToken)
    {
        var lastLeaseCheck = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var readAt = time.GetUtcNow();
            var events = await tail.ReadAsync(BatchSize, stoppingToken);
            if (events.Count > 0)
            {
                await AppendToStreamAsync(events);
                RelaySpans.Record(events, readAt);
                await tail.CommitAsync(events[^1].EventId, cancellationToken: stoppingToken);
                LogRelayed(events.Count, events[^1].EventId);
                if (events.Count == BatchSize)
                {
                    continue;
                }
            }

            await tail.WaitForMoreAsync(wakeUp, options.Value.RelaySweepInterval, options.Value.RelayMinimumReadInterval, stoppingToken);
            if (time.GetUtcNow() - lastLeaseCheck > TimeSpan.FromSeconds(5))
            {
                if (!await lease.IsHeldAsync(stoppingToken))
                {
                    return;
                }

                lastLeaseCheck = time.GetUtcNow();
            }
        }
    }

    private async Task AppendToStreamAsync(IReadOnlyList<JobEventMessage> events)
    {
        var database = redis.GetDatabase();
        var batch = database.CreateBatch();
        var appends = events.Select(e => batch.StreamAddAsync(
            JobEventStreamNames.Stream, JobEventStreamNames.EventField, e.ToJson(), maxLength: JobEventStreamNames.MaxLength, useApproximateMaxLength: true)).ToList();
        var wake = batch.PublishAsync(JobEventStreamNames.WakeChannel, events[^1].EventId);
        batch.Execute();
        await Task.WhenAll(appends);
        await wake;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This notifier now relays job events from PostgreSQL to Redis")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relayed {Count} job events to Redis, up to event {LastEventId}")]
    private partial void LogRelayed(int count, long lastEventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying job events failed; retrying (nothing is lost: the position only moves after Redis took the events)")]
    private partial void LogRelayFailed(Exception exception);
}
