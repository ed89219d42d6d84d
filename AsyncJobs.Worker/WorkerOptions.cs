using System.ComponentModel.DataAnnotations;
using Hangfire;

namespace AsyncJobs.Worker;

/// <summary>How the worker runs jobs; bound from the <c>Worker</c> section and validated at start-up.</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>
    /// False runs a hand-over node: the outbox relay, the rescuer and the queue metrics, but no Hangfire server, so
    /// this process never runs a job (the benchmark measures the relay alone this way).
    /// </summary>
    public bool ExecuteJobs { get; set; } = true;

    /// <summary>Concurrent jobs in this process; Hangfire's own default, five per core up to 20. Raise it for jobs that mostly wait.</summary>
    [Range(1, 500)]
    public int WorkerCount { get; set; } = new BackgroundJobServerOptions().WorkerCount;

    /// <summary>
    /// How long a dequeued job stays invisible to other workers without a heartbeat. Sliding: a live worker
    /// keeps extending it, so this only bounds how late Hangfire itself re-delivers a killed worker's job.
    /// It is longer than <see cref="LeaseTimeout"/> + <see cref="RescueInterval"/>, so the rescuer, which records
    /// the lost attempt, acts first; Hangfire's late re-delivery then finds the job started and does nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle worker thread waits for a new-job notification before it looks at the queue anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often Hangfire moves due retries (scheduled jobs) to their queue. Hangfire's default of 15 s would
    /// add up to 15 s to every retry delay.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When Hangfire.PostgreSql treats a distributed lock as abandoned. Its locks are rows that only their holder
    /// deletes, so a worker killed while holding one (the schedule poller takes one every poll) would otherwise stall
    /// every scheduled retry in every worker for Hangfire's default of 10 minutes. Hangfire holds them for milliseconds.
    /// Job state locks are not rows here (<see cref="Hangfire.JobStateAdvisoryLock"/>): they end with their holder.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan HangfireLockTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Progress reports are coalesced: at most one database write (durable job.progress event) per interval per job.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ProgressWriteInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Between durable writes, the latest report is published on Redis pub/sub at most once per interval (live SSE frames).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan LiveProgressInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A timed-out attempt is retried (when attempts are left) instead of failing the job at once.</summary>
    public bool RetryTimedOutJobs { get; set; }

    /// <summary>The outbox relay's sweep when no NOTIFY arrives (a lost notification costs at most this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10_000)]
    public int OutboxBatchSize { get; set; } = 200;

    /// <summary>How often this process renews the lease (<c>heartbeat_at</c>) of every job it runs, in one statement.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A running job whose lease was not renewed for this long has lost its worker and is rescued.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often every worker's rescuer looks for lost and stranded jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RescueInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A job handed to Hangfire that has not started this long after it was due, and is not waiting unfetched in
    /// Hangfire's queue, is handed over again: Hangfire.PostgreSql can strand a dequeued job or lose a wake-up. A job
    /// merely waiting in line is never taken back, so this bounds only how long a lost hand-over stalls. The default is above
    /// <see cref="HangfireLockTimeout"/> + <see cref="SchedulePollingInterval"/>: a retry whose schedule poll waits out
    /// a killed worker's lock is late, not lost (a second delivery would be harmless, fencing refuses it, but not free).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most jobs one rescue pass moves, so a mass rescue after an outage proceeds in bounded steps.</summary>
    [Range(1, 10_000)]
    public int RescueBatchSize { get; set; } = 500;

    /// <summary>The database fallback of the Redis cancel signal: how often running jobs' cancel flags are read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On SIGTERM, how long running jobs may still finish before they are cancelled and handed back.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>After the grace period, how long the cancelled jobs get to be handed back before the process exits anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HandBackTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the elected worker counts each queue's waiting jobs for the queue depth and age gauges (less often behind a deep backlog, see QueueMonitor).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan QueueMetricsInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatInterval * 2 > LeaseTimeout)
        {
            yield return new ValidationResult(
                $"{nameof(LeaseTimeout)} must be at least twice {nameof(HeartbeatInterval)}, so one late heartbeat does not lose a live job.",
                [nameof(LeaseTimeout), nameof(HeartbeatInterval)]);
        }

        if (InvisibilityTimeout <= LeaseTimeout + RescueInterval)
        {
            yield return new ValidationResult(
                $"{nameof(InvisibilityTimeout)} must exceed {nameof(LeaseTimeout)} + {nameof(RescueInterval)}, so the rescuer recovers a lost job before Hangfire re-delivers it.",
                [nameof(InvisibilityTimeout), nameof(LeaseTimeout), nameof(RescueInterval)]);
        }
    }
}
