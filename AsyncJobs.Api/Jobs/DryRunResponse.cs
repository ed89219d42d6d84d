namespace AsyncJobs.Api.Jobs;

/// <summary>What a submission would do, answered by a dry run: nothing is persisted or enqueued.</summary>
public sealed record DryRunResponse(bool DryRun, string Type, string Priority, int TimeoutSeconds, int MaxAttempts, object? Plan);
