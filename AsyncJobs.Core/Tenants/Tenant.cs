namespace AsyncJobs.Core.Tenants;

public sealed class Tenant
{
    public Guid Id { get; init; }

    public required string Name { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
