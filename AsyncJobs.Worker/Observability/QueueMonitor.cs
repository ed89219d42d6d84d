using System.Diagnostics.Metrics;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Postgres;
using AsyncJobs.Worker.Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Worker.Observability;

/// <summary>
/// The autoscaling signal: per queue, how many jobs wait to run (<c>asyncjobs.queue.depth</c>) and how long the
/// oldest has waited (<c>asyncjobs.queue.oldest_age</c>). One worker, elected with an advisory lease, counts them with
/// ONE query every <see cref="WorkerOptions.QueueMetricsInterval"/> (less often when counting a deep backlog costs more than
/// a twentieth of that time) and reports them; the others report nothing, so
/// a scrape never queries PostgreSQL and adding workers adds no load or duplicate series.
/// A job waits from when it was queued, or from its retry's due time; a retry not yet due is not waiting.
/// </summary>
public sealed partial class QueueMonitor : BackgroundService
{
    private const long LeaseKey = 0x4173_796E_6351_7565;

    // Counting is linear in the backlog (1,051 ms a count with 435,000 jobs waiting here): behind a deep one the counts
    // come further apart, so they never take more than 1/CostRatio of the time.
    private const int CostRatio = 20;

    // The partial index ix_jobs_tenant_in_flight covers the unfinished jobs this reads.
    private const string CountWaiting = """
        SELECT priority, count(*), extract(epoch FROM now() - min(ready_at))::float8
        FROM (SELECT priority, coalesce(next_attempt_at, updated_at) AS ready_at FROM jobs WHERE state IN ('queued', 'retrying')) waiting
        WHERE ready_at <= now()
        GROUP BY priority
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly IOptions<WorkerOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<QueueMonitor> logger;
    private volatile Snapshot? latest;

    public QueueMonitor(NpgsqlDataSource dataSource, IMeterFactory meterFactory, IOptions<WorkerOptions> options, TimeProvider time, ILogger<QueueMonitor> logger)
    {
        this.dataSource = dataSource;
        this.options = options;
        this.time = time;
        this.logger = logger;
        var meter = meterFactory.Create(JobMetrics.MeterName);
        meter.CreateObservableGauge("asyncjobs.queue.depth", () => Observe(q => q.Depth), "{job}", "Jobs waiting to run (queued, or retries that are due), per queue");
        meter.CreateObservableGauge("asyncjobs.queue.oldest_age", () => Observe(q => q.OldestAgeSeconds), "s", "How long the oldest waiting job of the queue has waited");
    }

    /// <summary>The latest counts while this worker leads and they are fresh; null otherwise.</summary>
    public IReadOnlyDictionary<string, QueueState>? Latest => latest is { } snapshot && IsFresh(snapshot) ? snapshot.Queues : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.QueueMetricsInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await AdvisoryLease.TryAcquireAsync(dataSource, LeaseKey, stoppingToken);
                if (lease is null)
                {
                    latest = null;
                    await Task.Delay(interval * 2, time, stoppingToken);
                    continue;
                }

                LogLeading();
                while (await lease.IsHeldAsync(stoppingToken))
                {
                    var started = time.GetTimestamp();
                    var queues = await CountAsync(stoppingToken);
                    var took = time.GetElapsedTime(started);
                    var pause = CostBoundedPause.After(took, interval, CostRatio);
                    latest = new Snapshot(time.GetUtcNow(), took + pause, queues);
                    await Task.Delay(pause, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCountFailed(exception);
                await Task.Delay(interval, time, stoppingToken);
            }
        }
    }

    private async Task<Dictionary<string, QueueState>> CountAsync(CancellationToken cancellationToken)
    {
        // Every queue appears, empty ones at zero, so a scaler sees a steady series rather than a gap.
        var queues = HangfireQueues.ByPriority.ToDictionary(q => q, _ => new QueueState(0, 0));
        await using var command = dataSource.CreateCommand(CountWaiting);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            queues[reader.GetString(0)] = new QueueState(reader.GetInt64(1), Math.Max(0, reader.GetDouble(2)));
        }

        return queues;
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<QueueState, T> value) where T : struct
    {
        if (Latest is not { } queues)
        {
            return [];
        }

        return queues.Select(q => new Measurement<T>(value(q.Value), new KeyValuePair<string, object?>(JobTelemetry.QueueTag, q.Key)));
    }

    // A leader whose counts stopped (database down) reports nothing rather than a stale value.
    private bool IsFresh(Snapshot snapshot) => time.GetUtcNow() - snapshot.At <= snapshot.Period * 3;

    public sealed record QueueState(long Depth, double OldestAgeSeconds);

    /// <summary>Counts taken <paramref name="At"/>, the next due a <paramref name="Period"/> after they were begun.</summary>
    private sealed record Snapshot(DateTimeOffset At, TimeSpan Period, IReadOnlyDictionary<string, QueueState> Queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "This worker now reports the queue depth and age gauges")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the queues for the queue gauges failed; retrying")]
    private partial void LogCountFailed(Exception exception);
}
