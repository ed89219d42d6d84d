namespace AsyncJobs.Core.Tenants;

public sealed class Tenant
{
    public Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Submissions allowed per minute across all API replicas; null for the configured default.</summary>
    public int? SubmissionsPerMinute { get; init; }

    /// <summary>Unfinished jobs (queued, running, retrying) allowed at once; null for no per-tenant bound.</summary>
    public int? MaxInFlight { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
