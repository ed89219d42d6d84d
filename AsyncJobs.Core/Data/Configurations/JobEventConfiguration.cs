using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AsyncJobs.Core.Data.Configurations;

internal sealed class JobEventConfiguration : IEntityTypeConfiguration<JobEvent>
{
    public void Configure(EntityTypeBuilder<JobEvent> jobEvent)
    {
        jobEvent.ToTable("job_events");
        jobEvent.HasKey(e => e.Id);
        jobEvent.Property(e => e.Id).UseIdentityAlwaysColumn();
        jobEvent.Property(e => e.Type).HasMaxLength(32);
        jobEvent.Property(e => e.Data).HasColumnType("jsonb");
        jobEvent.HasIndex(e => new { e.JobId, e.Sequence }).IsUnique();
        jobEvent.HasIndex(e => new { e.TenantId, e.Id });
        jobEvent.HasOne<Job>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
