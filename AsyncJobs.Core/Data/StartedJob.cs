using AsyncJobs.Core.Events;

namespace AsyncJobs.Core.Data;

/// <summary>A job the runner has claimed for one attempt, with what the handler needs.</summary>
public sealed record StartedJob(
    Guid Id,
    Guid TenantId,
    string Type,
    string Payload,
    int Attempt,
    int MaxAttempts,
    int TimeoutSeconds,
    string? CorrelationId,
    string? TraceParent,
    JobEventMessage Event);
