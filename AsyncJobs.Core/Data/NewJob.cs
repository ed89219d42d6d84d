using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Core.Data;

/// <summary>A validated submission, ready to be written as a queued job.</summary>
public sealed record NewJob(
    Guid Id,
    Guid TenantId,
    string Type,
    string Payload,
    JobPriority Priority,
    int MaxAttempts,
    int TimeoutSeconds,
    string? CorrelationId,
    string? TraceParent,
    string? CallbackUrl,
    string? Metadata,
    byte[] JobTokenHash,
    DateTimeOffset CreatedAt);
