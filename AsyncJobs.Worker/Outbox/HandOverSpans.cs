using System.Diagnostics;
using AsyncJobs.Core.Observability;

namespace AsyncJobs.Worker.Outbox;

/// <summary>
/// One <c>job.handover</c> span per job the relay handed to Hangfire, in the job's trace as a child of the
/// accepting request: the hop between the 202 and the first attempt. Recorded once the batch committed (from the
/// claim to the commit), so the relay's batching stays untouched and a rolled-back batch leaves no span.
/// </summary>
internal static class HandOverSpans
{
    public static void Record(IEnumerable<Guid> jobIds, IReadOnlyList<string?> traceParents, DateTimeOffset claimedAt)
    {
        if (!JobTelemetry.Source.HasListeners())
        {
            return;
        }

        var i = 0;
        foreach (var jobId in jobIds)
        {
            using var span = JobTelemetry.StartJobActivity("job.handover", ActivityKind.Producer, traceParents[i++], jobId, correlationId: null, claimedAt);
            span?.SetTag("messaging.system", "hangfire");
        }
    }
}
