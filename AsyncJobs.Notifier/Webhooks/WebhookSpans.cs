using System.Diagnostics;
using AsyncJobs.Core.Observability;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>The <c>webhook.deliver</c> span of one delivery attempt, in the trace of the job whose event it carries.</summary>
internal static class WebhookSpans
{
    public static Activity? Start(ClaimedDelivery delivery)
    {
        var span = JobTelemetry.StartJobActivity("webhook.deliver", ActivityKind.Internal, delivery.TraceParent, delivery.JobId, delivery.CorrelationId);
        span?.SetTag("asyncjobs.webhook.delivery_id", delivery.Id)
            .SetTag("asyncjobs.webhook.attempt", delivery.Attempt)
            .SetTag("asyncjobs.webhook.endpoint_id", delivery.EndpointId)
            .SetTag("asyncjobs.event.type", delivery.EventType);
        return span;
    }

    public static void End(Activity? span, WebhookAttemptOutcome outcome, TimeSpan? retryAfter)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(JobTelemetry.OutcomeTag, WebhookOutcomes.Of(outcome, retryAfter));
        if (outcome.StatusCode is { } status)
        {
            span.SetTag("http.response.status_code", status);
        }

        if (!outcome.Succeeded)
        {
            span.SetStatus(ActivityStatusCode.Error, outcome.Describe());
        }
    }
}
