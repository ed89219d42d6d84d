namespace AsyncJobs.Core.Tenants;

/// <summary>An API key; only its SHA-256 hash is stored.</summary>
public sealed class ApiKey
{
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    public required byte[] KeyHash { get; init; }

    /// <summary>The first characters of the key, so an operator can tell keys apart.</summary>
    public required string Prefix { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }
}
