using AsyncJobs.Core.Data;
using AsyncJobs.Core.Webhooks;
using AsyncJobs.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Api.Webhooks;

/// <summary>A tenant's webhook endpoints: every query and change is scoped to the tenant, so another tenant's id is not found.</summary>
public sealed class WebhookEndpointStore(JobsDbContext db, IOptions<WebhookApiOptions> options, TimeProvider time)
{
    public async Task<WebhookEndpoint> CreateAsync(Guid tenantId, CreateWebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Url = request.Url!,
            Description = request.Description,
            EventTypes = [.. request.EventTypes ?? []],
            Secret = WebhookSecret.Generate(),
            CreatedAt = time.GetUtcNow(),
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return endpoint;
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.AsNoTracking().Where(e => e.TenantId == tenantId).OrderBy(e => e.CreatedAt).ToListAsync(cancellationToken);

    public Task<WebhookEndpoint?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.TenantId == tenantId, cancellationToken);

    /// <summary>Deletes the endpoint and (cascading) its deliveries; false when the tenant has no such endpoint.</summary>
    public async Task<bool> DeleteAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.Where(e => e.Id == id && e.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>
    /// A new secret, in one statement: the current one becomes the previous one and keeps signing until it expires.
    /// Null when the tenant has no such endpoint.
    /// </summary>
    public async Task<RotatedSecretResponse?> RotateSecretAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.Generate();
        var lifetime = options.Value.PreviousSecretLifetime;
        DateTimeOffset? previousExpiresAt = lifetime > TimeSpan.Zero ? time.GetUtcNow() + lifetime : null;
        var rotated = await db.WebhookEndpoints.Where(e => e.Id == id && e.TenantId == tenantId)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(e => e.PreviousSecret, e => previousExpiresAt == null ? null : e.Secret)
                    .SetProperty(e => e.PreviousSecretExpiresAt, previousExpiresAt)
                    .SetProperty(e => e.Secret, secret),
                cancellationToken);
        return rotated == 1 ? new RotatedSecretResponse(secret, previousExpiresAt) : null;
    }

    /// <summary>Enables the endpoint again and starts its failure clock afresh; null when the tenant has no such endpoint.</summary>
    public async Task<WebhookEndpoint?> EnableAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var enabled = await db.WebhookEndpoints.Where(e => e.Id == id && e.TenantId == tenantId)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(e => e.Enabled, true)
                    .SetProperty(e => e.DisabledReason, (string?)null)
                    .SetProperty(e => e.DisabledAt, (DateTimeOffset?)null)
                    .SetProperty(e => e.FailingSince, (DateTimeOffset?)null),
                cancellationToken);
        return enabled == 1 ? await FindAsync(tenantId, id, cancellationToken) : null;
    }
}
