using System.Diagnostics;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Observability;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// One <c>job.event.publish</c> span per event the relay appended to the Redis stream, in the event's job trace as a
/// child of the accepting request (from the read of its batch to the append): the moment every notifier could
/// deliver it. Fan-out to SSE streams is not traced per stream: thousands of streams would make thousands of spans.
/// </summary>
internal static class RelaySpans
{
    public static void Record(IReadOnlyList<JobEventMessage> events, DateTimeOffset readAt)
    {
        if (!JobTelemetry.Source.HasListeners())
        {
            return;
        }

        foreach (var jobEvent in events)
        {
            using var span = JobTelemetry.StartJobActivity("job.event.publish", ActivityKind.Producer, jobEvent.TraceParent, jobEvent.JobId, correlationId: null, readAt);
            span?.SetTag("asyncjobs.event.type", jobEvent.Type)
                .SetTag("asyncjobs.event.sequence", jobEvent.Sequence)
                .SetTag("asyncjobs.event.id", jobEvent.EventId)
                .SetTag("messaging.system", "redis")
                .SetTag("messaging.destination.name", JobEventStreamNames.Stream);
        }
    }
}
