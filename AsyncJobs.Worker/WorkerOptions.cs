using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Worker;

/// <summary>How the worker runs jobs; bound from the <c>Worker</c> section and validated at start-up.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Concurrent jobs in this process. Jobs are slow and mostly wait, so several per core.</summary>
    [Range(1, 500)]
    public int WorkerCount { get; set; } = 20;

    /// <summary>
    /// How long a dequeued job stays invisible to other workers without a heartbeat. Sliding: a live worker
    /// keeps extending it, so this only bounds how late a killed worker's job is seen again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hangfire's own poll when LISTEN/NOTIFY misses a wake-up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Progress reports are coalesced: at most one database write per interval per job.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ProgressWriteInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The outbox relay's sweep when no NOTIFY arrives (a lost notification costs at most this).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10_000)]
    public int OutboxBatchSize { get; set; } = 200;
}
