using AsyncJobs.Core.Events;
using AsyncJobs.Core.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>
/// Turns committed job events into webhook deliveries, in event id order, exactly where it left off. One notifier
/// leads (advisory lease); the others stand by. The deliveries of a batch and the position after it commit in one
/// transaction, so a crash between the two can neither lose an event's webhooks nor create them twice (the unique
/// (event, endpoint, url) index would refuse the second copy anyway).
/// </summary>
public sealed partial class WebhookFanOut(
    NpgsqlDataSource dataSource,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookFanOut> logger) : BackgroundService
{
    public const string ConsumerName = "webhooks";
    public const string DeliveriesChannel = "webhook_deliveries";
    private const long LeaseKey = 0x4173_796E_6357_6862;
    private const int BatchSize = 500;
    private static readonly TimeSpan StandbyInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LeaseCheckInterval = TimeSpan.FromSeconds(5);

    private const string EndpointsOf = """
        SELECT id, tenant_id, url, event_types FROM webhook_endpoints
        WHERE enabled AND tenant_id = ANY(@tenants)
        """;

    private const string CallbacksOf = "SELECT id, callback_url FROM jobs WHERE id = ANY(@jobs) AND callback_url IS NOT NULL";

    private const string InsertDeliveries = """
        INSERT INTO webhook_deliveries
            (id, tenant_id, endpoint_id, url, job_id, event_id, event_type, payload, state, attempts, next_attempt_at, created_at)
        SELECT d.id, d.tenant_id, d.endpoint_id, d.url, d.job_id, d.event_id, d.event_type, d.payload::jsonb, 'pending', 0, now(), now()
        FROM unnest(@ids, @tenants, @endpoints, @urls, @jobs, @events, @types, @payloads)
            AS d(id, tenant_id, endpoint_id, url, job_id, event_id, event_type, payload)
        ON CONFLICT DO NOTHING
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUp = new ChannelWakeUp(dataSource, NotifyChannels.JobEvents, logger);
        var listening = wakeUp.ListenAsync(stoppingToken);
        // Deliveries read the trace context when they are sent (WebhookDeliveries), not here.
        var tail = new JobEventTail(dataSource, ConsumerName, options.Value.EventGapTimeout, time, withTraceParent: false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await AdvisoryLease.TryAcquireAsync(dataSource, LeaseKey, stoppingToken);
                if (lease is null)
                {
                    await Task.Delay(StandbyInterval, stoppingToken);
                    continue;
                }

                LogLeading();
                tail.Reset();
                await FanOutWhileLeadingAsync(lease, tail, wakeUp, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFanOutFailed(exception);
                // The cached position may be ahead of a transaction that rolled back: read the committed one again.
                tail.Reset();
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await listening;
    }

    private async Task FanOutWhileLeadingAsync(AdvisoryLease lease, JobEventTail tail, ChannelWakeUp wakeUp, CancellationToken stoppingToken)
    {
        var lastLeaseCheck = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var events = await tail.ReadAsync(BatchSize, stoppingToken);
            if (events.Count > 0)
            {
                var created = await CreateDeliveriesAsync(events, tail, stoppingToken);
                LogFannedOut(events.Count, created, events[^1].EventId);
                if (events.Count == BatchSize)
                {
                    continue;
                }
            }

            await tail.WaitForMoreAsync(wakeUp, options.Value.SweepInterval, options.Value.FanOutMinimumReadInterval, stoppingToken);
            if (time.GetUtcNow() - lastLeaseCheck > LeaseCheckInterval)
            {
                if (!await lease.IsHeldAsync(stoppingToken))
                {
                    return;
                }

                lastLeaseCheck = time.GetUtcNow();
            }
        }
    }

    private async Task<int> CreateDeliveriesAsync(IReadOnlyList<JobEventMessage> events, JobEventTail tail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var endpoints = await LoadEndpointsAsync(connection, [.. events.Select(e => e.TenantId).Distinct()], cancellationToken);
        var callbacks = await LoadCallbacksAsync(connection, [.. events.Select(e => e.JobId).Distinct()], cancellationToken);

        var rows = new List<(Guid? EndpointId, string Url, JobEventMessage Event, string Payload)>();
        foreach (var message in events)
        {
            var targets = WebhookTargets.For(message, endpoints.GetValueOrDefault(message.TenantId, []), callbacks.GetValueOrDefault(message.JobId)).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            var payload = WebhookPayload.For(message);
            rows.AddRange(targets.Select(t => (t.EndpointId, t.Url, message, payload)));
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = 0;
        if (rows.Count > 0)
        {
            await using var insert = new NpgsqlCommand(InsertDeliveries, connection, transaction);
            insert.Parameters.AddWithValue("ids", rows.Select(_ => Guid.CreateVersion7()).ToArray());
            insert.Parameters.AddWithValue("tenants", rows.Select(r => r.Event.TenantId).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("endpoints", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.EndpointId).ToArray() });
            insert.Parameters.AddWithValue("urls", rows.Select(r => r.Url).ToArray());
            insert.Parameters.AddWithValue("jobs", rows.Select(r => r.Event.JobId).ToArray());
            insert.Parameters.AddWithValue("events", rows.Select(r => r.Event.EventId).ToArray());
            insert.Parameters.AddWithValue("types", rows.Select(r => r.Event.Type).ToArray());
            insert.Parameters.AddWithValue("payloads", rows.Select(r => r.Payload).ToArray());
            created = await insert.ExecuteNonQueryAsync(cancellationToken);

            // Delivered at commit: every notifier's dispatcher wakes as soon as the rows are visible.
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{DeliveriesChannel}', '')", connection, transaction);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await tail.CommitAsync(events[^1].EventId, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    private static async Task<Dictionary<Guid, List<WebhookTargets.Endpoint>>> LoadEndpointsAsync(
        NpgsqlConnection connection, Guid[] tenantIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EndpointsOf, connection);
        command.Parameters.AddWithValue("tenants", tenantIds);
        var endpoints = new Dictionary<Guid, List<WebhookTargets.Endpoint>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var endpoint = new WebhookTargets.Endpoint(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<string[]>(3));
            if (!endpoints.TryGetValue(endpoint.TenantId, out var ofTenant))
            {
                endpoints[endpoint.TenantId] = ofTenant = [];
            }

            ofTenant.Add(endpoint);
        }

        return endpoints;
    }

    private static async Task<Dictionary<Guid, string>> LoadCallbacksAsync(NpgsqlConnection connection, Guid[] jobIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CallbacksOf, connection);
        command.Parameters.AddWithValue("jobs", jobIds);
        var callbacks = new Dictionary<Guid, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            callbacks[reader.GetGuid(0)] = reader.GetString(1);
        }

        return callbacks;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This notifier now turns job events into webhook deliveries")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fanned out {Count} job events into {Deliveries} webhook deliveries, up to event {LastEventId}")]
    private partial void LogFannedOut(int count, int deliveries, long lastEventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fanning job events out to webhooks failed; retrying (the position moves only with the deliveries)")]
    private partial void LogFanOutFailed(Exception exception);
}
