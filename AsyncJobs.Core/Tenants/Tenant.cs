namespace AsyncJobs.Core.Tenants;

public sealed class Tenant
{
    public Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Submissions allowed per minute across all API replicas; null for the configured default.</summary>
    public int? SubmissionsPerMinute { get; init; }

    /// <summary>Unfinished jobs (queued, running, retrying) allowed at once; null for no per-tenant bound.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>Signs deliveries to jobs' own <c>callbackUrl</c>s (tenant endpoints have their own secrets).</summary>
    public string? CallbackSecret { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
