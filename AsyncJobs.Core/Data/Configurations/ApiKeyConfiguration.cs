using AsyncJobs.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AsyncJobs.Core.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> apiKey)
    {
        apiKey.ToTable("api_keys");
        apiKey.HasKey(k => k.Id);
        apiKey.Property(k => k.Prefix).HasMaxLength(16);
        apiKey.HasIndex(k => k.KeyHash).IsUnique();
        apiKey.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
