using AsyncJobs.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AsyncJobs.Core.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> tenant)
    {
        tenant.ToTable("tenants");
        tenant.HasKey(t => t.Id);
        tenant.Property(t => t.Name).HasMaxLength(100);
        tenant.HasIndex(t => t.Name).IsUnique();
    }
}
