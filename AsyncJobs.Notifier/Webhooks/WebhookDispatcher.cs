using System.Diagnostics;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Postgres;
using AsyncJobs.Core.Webhooks;
using AsyncJobs.Notifier.Observability;
using AsyncJobs.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>
/// Sends due webhook deliveries, in every notifier at once: woken by <c>NOTIFY webhook_deliveries</c> (new deliveries,
/// redeliveries) or by its sweep (scheduled retries), it claims what it has room for and sends each claimed attempt
/// concurrently, then records the outcome and schedules the next attempt from the retry schedule, or dead-letters.
/// </summary>
public sealed partial class WebhookDispatcher(
    NpgsqlDataSource dataSource,
    WebhookDeliveries deliveries,
    WebhookSender sender,
    CallbackSecretStore callbackSecrets,
    NotifierMetrics metrics,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan RecordGrace = TimeSpan.FromSeconds(5);
    private readonly WebhookRetrySchedule schedule = options.Value.CreateRetrySchedule();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wakeUp = new ChannelWakeUp(dataSource, WebhookFanOut.DeliveriesChannel, logger);
        var listening = wakeUp.ListenAsync(stoppingToken);
        using var slots = new SemaphoreSlim(options.Value.MaxConcurrentDeliveries);
        var inFlight = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                inFlight.RemoveWhere(t => t.IsCompleted);
                var room = slots.CurrentCount;
                var claimed = room > 0 ? await deliveries.ClaimAsync(room, stoppingToken) : [];
                foreach (var delivery in claimed)
                {
                    await slots.WaitAsync(stoppingToken);
                    inFlight.Add(AttemptAsync(delivery, slots, wakeUp, stoppingToken));
                }

                // A full claim means more may be due: claim again as soon as there is room.
                if (claimed.Count == 0 || claimed.Count < room)
                {
                    await wakeUp.WaitAsync(options.Value.SweepInterval, stoppingToken);
                }
                else if (slots.CurrentCount == 0)
                {
                    await wakeUp.WaitAsync(options.Value.SweepInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogClaimFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await Task.WhenAll(inFlight);
        await listening;
    }

    private async Task AttemptAsync(ClaimedDelivery delivery, SemaphoreSlim slots, ChannelWakeUp wakeUp, CancellationToken stoppingToken)
    {
        // Each attempt is a child of the job's trace (its HttpClient span inside it), however late a retry comes:
        // the job caused it. The receiver gets the context in `traceparent` and may continue the trace.
        using var span = WebhookSpans.Start(delivery);
        using var scope = logger.BeginJobScope(delivery.JobId, delivery.CorrelationId, ("DeliveryId", delivery.Id));
        try
        {
            await Task.Yield();
            var outcome = await SendAsync(delivery, stoppingToken);
            var retryAfter = outcome.Succeeded ? null : schedule.DelayAfter(delivery.Attempt, Random.Shared);
            if (stoppingToken.IsCancellationRequested && !outcome.Succeeded)
            {
                // Interrupted by this notifier's own shutdown, not the receiver's fault: due again at once, wherever.
                retryAfter = TimeSpan.Zero;
            }

            // Recorded even while stopping (briefly): an attempt that was made must not be forgotten.
            using var grace = new CancellationTokenSource(RecordGrace);
            var disabled = await deliveries.RecordAsync(delivery, outcome, retryAfter, grace.Token);
            WebhookSpans.End(span, outcome, retryAfter);
            metrics.WebhookAttempted(delivery, outcome, retryAfter);
            Log(delivery, outcome, retryAfter);
            if (disabled)
            {
                LogEndpointDisabled(delivery.EndpointId, delivery.Url, outcome.Describe());
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The claim's lease runs out and another attempt follows: nothing is lost, at worst sent once more.
            LogAttemptFailed(exception, delivery.Id, delivery.JobId);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the lease hands the delivery to the next notifier.
        }
        finally
        {
            slots.Release();
            wakeUp.Wake();
        }
    }

    private async Task<WebhookAttemptOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        if (delivery.EndpointDisabledReason is { } reason)
        {
            return WebhookAttemptOutcome.NotSent($"Not sent: the endpoint is disabled ({reason}). Enable it, then redeliver.");
        }

        IReadOnlyList<string> secrets = delivery.EndpointId is null
            ? [delivery.CallbackSecret ?? await callbackSecrets.GetOrCreateAsync(delivery.TenantId, WebhookSecret.Generate(), stoppingToken)
                ?? throw new InvalidOperationException($"Tenant {delivery.TenantId} no longer exists.")]
            : delivery.EndpointSecrets;
        try
        {
            return await sender.SendAsync(delivery, secrets, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return WebhookAttemptOutcome.NotSent("Interrupted: the notifier stopped during the attempt.");
        }
    }

    private void Log(ClaimedDelivery delivery, WebhookAttemptOutcome outcome, TimeSpan? retryAfter)
    {
        var status = outcome.Describe();
        if (outcome.Succeeded)
        {
            LogDelivered(delivery.Id, delivery.JobId, delivery.EventType, delivery.Attempt, outcome.StatusCode!.Value, outcome.LatencyMs);
        }
        else if (retryAfter is { } delay)
        {
            LogRetrying(delivery.Id, delivery.JobId, delivery.EventType, delivery.Attempt, status, delay);
        }
        else
        {
            LogDeadLettered(delivery.Id, delivery.JobId, delivery.EventType, delivery.Attempt, status);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivered webhook {DeliveryId} ({EventType} of job {JobId}), attempt {Attempt}: HTTP {StatusCode} in {LatencyMs} ms")]
    private partial void LogDelivered(Guid deliveryId, Guid jobId, string eventType, int attempt, int statusCode, int latencyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} ({EventType} of job {JobId}) attempt {Attempt} failed: {Status}; retrying in {RetryAfter}")]
    private partial void LogRetrying(Guid deliveryId, Guid jobId, string eventType, int attempt, string status, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId} ({EventType} of job {JobId}) dead-lettered after attempt {Attempt}: {Status}")]
    private partial void LogDeadLettered(Guid deliveryId, Guid jobId, string eventType, int attempt, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disabled webhook endpoint {EndpointId} ({Url}): its deliveries kept failing; last {Status}")]
    private partial void LogEndpointDisabled(Guid? endpointId, string url, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording webhook {DeliveryId} (job {JobId}) failed; it is attempted again when its claim expires")]
    private partial void LogAttemptFailed(Exception exception, Guid deliveryId, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due webhook deliveries failed; retrying")]
    private partial void LogClaimFailed(Exception exception);
}
