using AsyncJobs.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AsyncJobs.Core.Data.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.ToTable("jobs", table =>
        {
            table.HasCheckConstraint("ck_jobs_state", "state IN ('queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled')");
            table.HasCheckConstraint("ck_jobs_priority", "priority IN ('high', 'normal', 'low')");
            table.HasCheckConstraint("ck_jobs_finished", "(state IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)");
            table.HasCheckConstraint("ck_jobs_attempt", "attempt >= 0 AND max_attempts >= 1");
            table.HasCheckConstraint("ck_jobs_timeout", "timeout_seconds > 0");
            table.HasCheckConstraint("ck_jobs_progress", "progress_percent BETWEEN 0 AND 100");
        });
        job.HasKey(j => j.Id);
        job.Property(j => j.Type).HasMaxLength(100);
        job.Property(j => j.Payload).HasColumnType("jsonb");
        job.Property(j => j.Result).HasColumnType("jsonb");
        job.Property(j => j.Error).HasColumnType("jsonb");
        job.Property(j => j.Metadata).HasColumnType("jsonb");
        job.Property(j => j.State).HasConversion(s => s.ToName(), s => JobStateNames.Parse(s)).HasMaxLength(16);
        job.Property(j => j.Priority).HasConversion(p => p.ToName(), p => ParsePriority(p)).HasMaxLength(8);
        job.Property(j => j.CorrelationId).HasMaxLength(128);
        job.Property(j => j.TraceParent).HasMaxLength(128);

        // No index over job_token_hash: a job token names its job (see JobToken), so checking one reads by id.
        job.HasIndex(j => new { j.TenantId, j.CreatedAt, j.Id }).IsDescending(false, true, true);
        // The outbox: jobs committed but not yet handed to Hangfire.
        job.HasIndex(j => j.CreatedAt).HasDatabaseName("ix_jobs_outbox").HasFilter("handed_over_at IS NULL AND state IN ('queued', 'retrying')");
        // The unfinished jobs: admission control counts a tenant's; the queue gauges and the backlog bound read them
        // all through the same partial index. Nothing indexes updated_at, progress or heartbeat_at,
        // so a progress write or a heartbeat changes no index and can be a HOT update.
        job.HasIndex(j => j.TenantId).HasDatabaseName("ix_jobs_tenant_in_flight").HasFilter("state IN ('queued', 'running', 'retrying')");
        // The jobs handed to Hangfire and not started, in Hangfire's order per queue: the rescuer reads only those
        // Hangfire has passed, not the whole line behind a backlog. Entries are added by the hand-over, whose update
        // changes handed_over_at and so is never a HOT update anyway.
        job.HasIndex(j => new { j.Priority, j.HangfireJobId }).HasDatabaseName("ix_jobs_handed_over")
            .HasFilter("handed_over_at IS NOT NULL AND state IN ('queued', 'retrying')");
        // The running jobs, whose leases the rescuer checks: a handful, however deep the backlog.
        job.HasIndex(j => j.Id, "ix_jobs_running").HasDatabaseName("ix_jobs_running").HasFilter("state = 'running'");
    }

    private static JobPriority ParsePriority(string name) =>
        JobPriorityNames.TryParse(name, out var priority) ? priority : throw new FormatException($"'{name}' is not a priority.");
}
