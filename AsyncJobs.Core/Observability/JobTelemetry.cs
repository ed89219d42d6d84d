using System.Diagnostics;

namespace AsyncJobs.Core.Observability;

/// <summary>
/// The spans every service writes about a job, and the attribute names they share. Each process continues the
/// job's trace from the W3C context stored with the job at accept (<c>jobs.trace_parent</c>), so the
/// <c>POST /jobs</c> request span is the root of one trace per job.
/// </summary>
public static class JobTelemetry
{
    /// <summary>Must equal <c>AsyncJobsTelemetry.ActivitySourceName</c>, the source the service defaults subscribe to.</summary>
    public const string SourceName = "AsyncJobs";

    public static readonly ActivitySource Source = new(SourceName);

    public const string JobIdTag = "asyncjobs.job.id";
    public const string JobTypeTag = "asyncjobs.job.type";
    public const string AttemptTag = "asyncjobs.job.attempt";
    public const string OutcomeTag = "asyncjobs.job.outcome";
    public const string QueueTag = "asyncjobs.queue";
    public const string CorrelationIdTag = "correlation.id";
    public const string ErrorTypeTag = "error.type";

    /// <summary>The context stored with a job, or default when it has none (the work then starts a trace of its own).</summary>
    public static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>Starts a span in the job's trace, with the job's id (and correlation id) as attributes.</summary>
    public static Activity? StartJobActivity(
        string name, ActivityKind kind, string? traceParent, Guid jobId, string? correlationId, DateTimeOffset startTime = default)
    {
        var activity = Source.StartActivity(name, kind, ParentOf(traceParent), startTime: startTime);
        activity?.SetTag(JobIdTag, jobId);
        if (correlationId is not null)
        {
            activity?.SetTag(CorrelationIdTag, correlationId);
        }

        return activity;
    }

    /// <summary>Marks the span failed with the error type the job records.</summary>
    public static void SetFailed(this Activity? activity, string errorType, string? description = null)
    {
        activity?.SetTag(ErrorTypeTag, errorType);
        activity?.SetStatus(ActivityStatusCode.Error, description);
    }
}
