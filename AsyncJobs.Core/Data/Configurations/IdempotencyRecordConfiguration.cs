using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AsyncJobs.Core.Data.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_keys");
        record.HasKey(r => new { r.TenantId, r.Key });
        record.Property(r => r.Key).HasMaxLength(255);
        record.Property(r => r.Response).HasColumnType("jsonb");
        record.HasIndex(r => r.ExpiresAt);
        record.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
