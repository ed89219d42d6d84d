using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Observability;

namespace AsyncJobs.Api.Jobs;

/// <summary>What the job endpoints need, taken as one parameter with [AsParameters].</summary>
public sealed class JobServices(
    JobReader reader,
    JobStore store,
    JobCancellationSignal cancellation,
    JobLinkBuilder links,
    SubmissionOptions options,
    JobMetrics metrics)
{
    public JobReader Reader { get; } = reader;

    public JobStore Store { get; } = store;

    public JobCancellationSignal Cancellation { get; } = cancellation;

    public JobLinkBuilder Links { get; } = links;

    public SubmissionOptions Options { get; } = options;

    public JobMetrics Metrics { get; } = metrics;
}
