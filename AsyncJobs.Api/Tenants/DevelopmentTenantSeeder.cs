using AsyncJobs.Core.Data;
using AsyncJobs.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Api.Tenants;

public static partial class DevelopmentTenantSeeder
{
    /// <summary>In Development, makes sure the configured API key exists and belongs to the development tenant.</summary>
    public static async Task SeedDevelopmentTenantAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DevelopmentSeedOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.ApiKey) || !services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<DevelopmentSeedOptions>>();
        var keyHash = SecretHasher.Hash(options.ApiKey);
        if (await db.ApiKeys.AnyAsync(k => k.KeyHash == keyHash, cancellationToken))
        {
            return;
        }

        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Name == options.TenantName, cancellationToken);
        if (tenant is null)
        {
            tenant = new Tenant { Id = Guid.CreateVersion7(), Name = options.TenantName, CreatedAt = time.GetUtcNow() };
            db.Tenants.Add(tenant);
        }

        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.Id,
            KeyHash = keyHash,
            Prefix = options.ApiKey[..Math.Min(12, options.ApiKey.Length)],
            CreatedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogSeeded(logger, options.TenantName);
        }
        catch (DbUpdateException)
        {
            // Another API replica may have seeded the same key at the same moment; anything else is a real failure.
            db.ChangeTracker.Clear();
            if (!await db.ApiKeys.AnyAsync(k => k.KeyHash == keyHash, cancellationToken))
            {
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the development tenant {TenantName} with the configured API key")]
    private static partial void LogSeeded(ILogger logger, string tenantName);
}
