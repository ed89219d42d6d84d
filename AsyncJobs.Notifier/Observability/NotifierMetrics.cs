using System.Diagnostics.Metrics;
using AsyncJobs.Core.Observability;
using AsyncJobs.Notifier.Webhooks;

namespace AsyncJobs.Notifier.Observability;

/// <summary>The notifier's instruments (meter <c>AsyncJobs</c>): webhook attempts and dead letters, open SSE streams.</summary>
public sealed class NotifierMetrics
{
    private readonly Counter<long> webhookAttempts;
    private readonly Counter<long> webhookFailures;
    private readonly Counter<long> webhookDeadLetters;
    private readonly UpDownCounter<long> activeStreams;

    public NotifierMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(JobMetrics.MeterName);
        webhookAttempts = meter.CreateCounter<long>("asyncjobs.webhook.attempts", "{attempt}", "Webhook delivery attempts, by outcome (delivered, retrying, dead_lettered)");
        webhookFailures = meter.CreateCounter<long>("asyncjobs.webhook.failures", "{attempt}", "Webhook delivery attempts that failed (no 2xx answer), by HTTP status or error");
        webhookDeadLetters = meter.CreateCounter<long>("asyncjobs.webhook.dead_lettered", "{delivery}", "Webhook deliveries that failed their last attempt (replayable)");
        activeStreams = meter.CreateUpDownCounter<long>("asyncjobs.sse.active_streams", "{stream}", "Server-Sent Events streams open on this notifier, by scope (job, tenant)");
    }

    /// <param name="retryAfter">When the delivery is due again; null when it succeeded or was dead-lettered.</param>
    internal void WebhookAttempted(ClaimedDelivery delivery, WebhookAttemptOutcome outcome, TimeSpan? retryAfter)
    {
        var target = delivery.EndpointId is null ? "callback" : "endpoint";
        var result = WebhookOutcomes.Of(outcome, retryAfter);
        webhookAttempts.Add(1, new("asyncjobs.webhook.target", target), new(JobTelemetry.OutcomeTag, result));
        if (!outcome.Succeeded)
        {
            webhookFailures.Add(1, new("asyncjobs.webhook.target", target), new(JobTelemetry.ErrorTypeTag, outcome.StatusCode?.ToString() ?? "no_answer"));
        }

        if (result == WebhookOutcomes.DeadLettered)
        {
            webhookDeadLetters.Add(1, new KeyValuePair<string, object?>("asyncjobs.webhook.target", target));
        }
    }

    /// <summary>A stream of <paramref name="scope"/> (job, tenant) started writing to its client.</summary>
    public void StreamOpened(string scope) => activeStreams.Add(1, new KeyValuePair<string, object?>("asyncjobs.sse.scope", scope));

    /// <summary>The stream ended, whichever way.</summary>
    public void StreamClosed(string scope) => activeStreams.Add(-1, new KeyValuePair<string, object?>("asyncjobs.sse.scope", scope));
}
