using System.Text.Json;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AsyncJobs.Api.Webhooks;

/// <summary>A tenant's webhook deliveries and their attempts, and manual redelivery.</summary>
public sealed class WebhookDeliveryStore(JobsDbContext db, NpgsqlDataSource dataSource)
{
    public enum RedeliveryOutcome
    {
        Redelivered,
        AlreadyPending,
        NotFound,
    }

    // The guard keeps a delivery that is still being tried from being reset under its attempt.
    private const string Redeliver = """
        UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
        WHERE id = @id AND tenant_id = @tenant AND state <> 'pending'
        RETURNING id, endpoint_id, url, job_id, event_id, event_type, state, attempts, next_attempt_at, last_status_code, created_at, delivered_at
        """;

    public async Task<IReadOnlyList<WebhookDeliveryResponse>> ListAsync(Guid tenantId, WebhookDeliveryQuery query, CancellationToken cancellationToken)
    {
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.TenantId == tenantId);
        if (query.State is { } state)
        {
            deliveries = deliveries.Where(d => d.State == state);
        }

        if (query.EndpointId is { } endpointId)
        {
            deliveries = deliveries.Where(d => d.EndpointId == endpointId);
        }

        if (query.JobId is { } jobId)
        {
            deliveries = deliveries.Where(d => d.JobId == jobId);
        }

        var page = await deliveries.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(query.Limit).ToListAsync(cancellationToken);
        return [.. page.Select(ToResponse)];
    }

    public async Task<WebhookDeliveryDetailResponse?> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.TenantId == tenantId, cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        var attempts = await db.WebhookAttempts.AsNoTracking()
            .Where(a => a.DeliveryId == id)
            .OrderBy(a => a.Attempt).ThenBy(a => a.Id)
            .Select(a => new WebhookAttemptResponse(a.Attempt, a.StatusCode, a.LatencyMs, a.ResponseExcerpt, a.Error, a.At))
            .ToListAsync(cancellationToken);
        return new WebhookDeliveryDetailResponse(ToResponse(delivery), JsonElement.Parse(delivery.Payload), attempts);
    }

    /// <summary>
    /// Puts a finished (failed or succeeded) delivery back to pending, due now; its attempt count continues. Answers the
    /// delivery as this statement left it: a dispatcher may have delivered it again before a second read could look.
    /// </summary>
    public async Task<(RedeliveryOutcome Outcome, WebhookDeliveryResponse? Delivery)> RedeliverAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        WebhookDeliveryResponse? redelivered = null;
        await using (var command = dataSource.CreateCommand(Redeliver))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("tenant", tenantId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                redelivered = new WebhookDeliveryResponse(
                    reader.GetGuid(0),
                    reader.IsDBNull(1) ? null : reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetGuid(3),
                    reader.GetInt64(4),
                    reader.GetString(5),
                    WebhookMessageId.For(id),
                    reader.GetString(6),
                    reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                    reader.IsDBNull(9) ? null : reader.GetInt32(9),
                    reader.GetFieldValue<DateTimeOffset>(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
            }
        }

        if (redelivered is not null)
        {
            // Wakes every notifier's dispatcher at once rather than at its next sweep.
            await using var notify = dataSource.CreateCommand("SELECT pg_notify('webhook_deliveries', '')");
            await notify.ExecuteNonQueryAsync(cancellationToken);
            return (RedeliveryOutcome.Redelivered, redelivered);
        }

        var exists = await db.WebhookDeliveries.AnyAsync(d => d.Id == id && d.TenantId == tenantId, cancellationToken);
        return (exists ? RedeliveryOutcome.AlreadyPending : RedeliveryOutcome.NotFound, null);
    }

    private static WebhookDeliveryResponse ToResponse(WebhookDelivery d) => new(
        d.Id, d.EndpointId, d.Url, d.JobId, d.EventId, d.EventType, WebhookMessageId.For(d.Id), d.State, d.Attempts, d.NextAttemptAt, d.LastStatusCode, d.CreatedAt, d.DeliveredAt);
}
