using System.Diagnostics.Metrics;

namespace AsyncJobs.Core.Observability;

/// <summary>
/// The job lifecycle instruments (meter <c>AsyncJobs</c>), shared by the API (accepted, cancelled before start) and
/// the worker (everything about attempts). Every instrument carries the job type (<c>asyncjobs.job.type</c>), a
/// small set per deployment; never the job id, whose place is the trace.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = JobTelemetry.SourceName;

    // Pickup spans milliseconds (long polling) to minutes (a backlog); attempts last milliseconds to hours.
    private static readonly double[] PickupBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    private readonly Counter<long> accepted;
    private readonly Counter<long> started;
    private readonly Counter<long> succeeded;
    private readonly Counter<long> failed;
    private readonly Counter<long> cancelled;
    private readonly Counter<long> retried;
    private readonly Histogram<double> attemptDuration;
    private readonly Histogram<double> pickup;

    public JobMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        accepted = meter.CreateCounter<long>("asyncjobs.job.accepted", "{job}", "Jobs accepted (202) and durably queued");
        started = meter.CreateCounter<long>("asyncjobs.job.started", "{attempt}", "Attempts a worker claimed and started");
        succeeded = meter.CreateCounter<long>("asyncjobs.job.succeeded", "{job}", "Jobs that succeeded");
        failed = meter.CreateCounter<long>("asyncjobs.job.failed", "{job}", "Jobs dead-lettered: failed on their last attempt, or with an error that is not retried");
        cancelled = meter.CreateCounter<long>("asyncjobs.job.cancelled", "{job}", "Jobs cancelled, before or during an attempt");
        retried = meter.CreateCounter<long>("asyncjobs.job.retried", "{attempt}", "Failed attempts scheduled to run again");
        attemptDuration = meter.CreateHistogram(
            "asyncjobs.job.attempt.duration", "s", "How long an attempt's handler ran, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        pickup = meter.CreateHistogram(
            "asyncjobs.job.pickup.duration", "s", "From when an attempt was due (accepted, or its retry time) until a worker started it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PickupBuckets });
    }

    public void Accepted(string type, string priority) =>
        accepted.Add(1, new(JobTelemetry.JobTypeTag, type), new("asyncjobs.job.priority", priority));

    /// <param name="retry">True from the second attempt on (and after a manual retry's first): their due time is the retry's.</param>
    public void Started(string type, string queue, TimeSpan? pickupLatency, bool retry)
    {
        started.Add(1, new(JobTelemetry.JobTypeTag, type), new(JobTelemetry.QueueTag, queue));
        if (pickupLatency is { } latency)
        {
            pickup.Record(Math.Max(0, latency.TotalSeconds), new(JobTelemetry.JobTypeTag, type), new(JobTelemetry.QueueTag, queue), new("asyncjobs.job.retry", retry));
        }
    }

    /// <param name="outcome">What the attempt came to: <c>succeeded</c>, <c>retrying</c>, <c>failed</c>, <c>cancelled</c>, <c>handed_back</c>, <c>lease_lost</c>, <c>refused</c>.</param>
    public void AttemptEnded(string type, string outcome, TimeSpan duration) =>
        attemptDuration.Record(duration.TotalSeconds, new(JobTelemetry.JobTypeTag, type), new(JobTelemetry.OutcomeTag, outcome));

    public void Succeeded(string type) => succeeded.Add(1, new KeyValuePair<string, object?>(JobTelemetry.JobTypeTag, type));

    public void Failed(string type, string errorType) =>
        failed.Add(1, new(JobTelemetry.JobTypeTag, type), new(JobTelemetry.ErrorTypeTag, errorType));

    /// <param name="running">True when a running attempt was stopped; false when the job was cancelled before it started.</param>
    public void Cancelled(string type, bool running) =>
        cancelled.Add(1, new(JobTelemetry.JobTypeTag, type), new("asyncjobs.job.was_running", running));

    public void Retried(string type, string errorType) =>
        retried.Add(1, new(JobTelemetry.JobTypeTag, type), new(JobTelemetry.ErrorTypeTag, errorType));
}
