namespace AsyncJobs.Core.Jobs;

/// <summary>
/// A job row: the source of truth for a job. State changes after acceptance happen only through the
/// guarded statements in <see cref="Data.JobTransitions"/>, never by loading and saving this entity.
/// </summary>
public sealed class Job
{
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    public required string Type { get; init; }

    /// <summary>The validated payload, as JSON (jsonb).</summary>
    public required string Payload { get; init; }

    public JobState State { get; set; }

    public JobPriority Priority { get; init; }

    /// <summary>How many times the job has been started; 0 while it has never run.</summary>
    public int Attempt { get; set; }

    public int MaxAttempts { get; init; }

    public int TimeoutSeconds { get; init; }

    public int ProgressPercent { get; set; }

    public string? ProgressMessage { get; set; }

    public string? ProgressStep { get; set; }

    /// <summary>The handler's result document, as JSON, once succeeded.</summary>
    public string? Result { get; set; }

    /// <summary>The last error, as JSON <c>{type, message, retryable}</c>.</summary>
    public string? Error { get; set; }

    public string? CorrelationId { get; init; }

    /// <summary>W3C trace context of the submitting request, so every process continues one trace.</summary>
    public string? TraceParent { get; init; }

    public string? CallbackUrl { get; init; }

    public string? Metadata { get; init; }

    /// <summary>SHA-256 of the job token, which alone grants read access to this job.</summary>
    public byte[]? JobTokenHash { get; init; }

    /// <summary>The sequence number of the job's newest event; also the job's version (ETag).</summary>
    public int LastSequence { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When the outbox relay handed the job to Hangfire; null while it still has to.</summary>
    public DateTimeOffset? HandedOverAt { get; set; }

    /// <summary>
    /// The Hangfire job of the latest hand-over (the relay's, or a retry's), or null if it is not known. Read only while
    /// <see cref="HandedOverAt"/> is set: it tells the rescuer whether the job still waits in Hangfire's line.
    /// </summary>
    public long? HangfireJobId { get; set; }

    public DateTimeOffset? CancelRequestedAt { get; set; }

    /// <summary>Renewed by the worker running the job; a stale heartbeat means the worker died.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    /// <summary>When a retrying job is due to run again.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
}
