using AsyncJobs.Core.Events;

namespace AsyncJobs.Core.Data;

/// <summary>A job the runner has claimed for one attempt, with what the handler needs.</summary>
/// <param name="PickupLatency">From when the claimed attempt became due (queued, or its retry time) to the claim; set by the claim only.</param>
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
    JobEventMessage Event,
    TimeSpan? PickupLatency = null);
