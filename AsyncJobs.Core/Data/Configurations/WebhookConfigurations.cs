using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Tenants;
using AsyncJobs.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AsyncJobs.Core.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("webhook_endpoints");
        endpoint.HasKey(e => e.Id);
        endpoint.Property(e => e.Url).HasMaxLength(2048);
        endpoint.Property(e => e.Description).HasMaxLength(500);
        endpoint.HasIndex(e => e.TenantId);
        endpoint.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries", table =>
            table.HasCheckConstraint("ck_webhook_deliveries_state", "state IN ('pending', 'succeeded', 'failed')"));
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Url).HasMaxLength(2048);
        delivery.Property(d => d.EventType).HasMaxLength(32);
        delivery.Property(d => d.State).HasMaxLength(16);
        delivery.Property(d => d.Payload).HasColumnType("jsonb");
        // One delivery per event and target, so a replayed fan-out cannot deliver twice.
        delivery.HasIndex(d => new { d.EventId, d.EndpointId, d.Url }).IsUnique().AreNullsDistinct(false);
        delivery.HasIndex(d => new { d.TenantId, d.State, d.CreatedAt });
        delivery.HasIndex(d => d.NextAttemptAt).HasFilter("state = 'pending'");
        delivery.HasOne<Job>().WithMany().HasForeignKey(d => d.JobId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> attempt)
    {
        attempt.ToTable("webhook_attempts");
        attempt.HasKey(a => a.Id);
        attempt.Property(a => a.Id).UseIdentityAlwaysColumn();
        attempt.Property(a => a.ResponseExcerpt).HasMaxLength(1024);
        attempt.Property(a => a.Error).HasMaxLength(1024);
        attempt.HasIndex(a => new { a.DeliveryId, a.Attempt });
        attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventConsumerPositionConfiguration : IEntityTypeConfiguration<EventConsumerPosition>
{
    public void Configure(EntityTypeBuilder<EventConsumerPosition> position)
    {
        position.ToTable("event_consumers");
        position.HasKey(p => p.Consumer);
        position.Property(p => p.Consumer).HasMaxLength(64);
    }
}
