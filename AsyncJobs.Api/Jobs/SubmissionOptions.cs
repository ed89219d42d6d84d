using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Api.Jobs;

public sealed class SubmissionOptions
{
    public const string SectionName = "Submission";

    [Range(1, 86_400)]
    public int DefaultTimeoutSeconds { get; set; } = 300;

    [Range(1, 86_400)]
    public int MaxTimeoutSeconds { get; set; } = 86_400;

    [Range(1, 100)]
    public int DefaultMaxAttempts { get; set; } = 3;

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>What clients are told to wait before polling again (Retry-After, seconds).</summary>
    [Range(1, 3600)]
    public int PollAfterSeconds { get; set; } = 1;

    /// <summary>The largest submission body accepted; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long an Idempotency-Key is remembered (at least 24 h by contract).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "30.00:00:00")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Jobs waiting to run (queued or retrying, all tenants) beyond which submissions get 503.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBacklog { get; set; } = 1_000_000;

    /// <summary>Default submissions per minute per tenant (a tenant's own setting wins).</summary>
    [Range(1, int.MaxValue)]
    public int SubmissionsPerMinute { get; set; } = 60_000;

    /// <summary>What a refused submission is told to wait (Retry-After, seconds) when the backlog is full.</summary>
    [Range(1, 3600)]
    public int BacklogRetryAfterSeconds { get; set; } = 5;

    /// <summary>The most submissions committed in one transaction (group commit).</summary>
    [Range(1, 10_000)]
    public int GroupCommitMaxBatch { get; set; } = 256;

    /// <summary>Transactions in flight at once: while one commits, the next batch fills.</summary>
    [Range(1, 64)]
    public int GroupCommitFlushers { get; set; } = 2;

    /// <summary>Callback URLs on loopback (tests, local development only).</summary>
    public bool AllowLoopbackCallbacks { get; set; }

    /// <summary>Callback URLs on private networks (a deployment whose receivers live inside its network).</summary>
    public bool AllowPrivateNetworkCallbacks { get; set; }
}
