namespace AsyncJobs.Api.Tenants;

/// <param name="Name">A unique tenant name.</param>
/// <param name="SubmissionsPerMinute">The tenant's submission rate limit (default: the configured one).</param>
/// <param name="MaxInFlight">How many unfinished jobs the tenant may have at once (default: unbounded).</param>
public sealed record CreateTenantRequest(string? Name, int? SubmissionsPerMinute = null, int? MaxInFlight = null);

/// <param name="ApiKey">The tenant's first API key; shown only here (only its hash is stored).</param>
public sealed record TenantCreatedResponse(Guid TenantId, string Name, string ApiKey);
