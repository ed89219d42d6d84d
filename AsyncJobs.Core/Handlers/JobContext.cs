using AsyncJobs.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.Core.Handlers;

/// <summary>What a handler gets for one attempt of a job.</summary>
public sealed class JobContext(
    Guid jobId,
    int attempt,
    int maxAttempts,
    IProgress<JobProgress> progress,
    ILogger logger,
    CancellationToken cancellationToken)
{
    public Guid JobId { get; } = jobId;

    /// <summary>1 on the first run, 2 on the first retry, and so on.</summary>
    public int Attempt { get; } = attempt;

    public int MaxAttempts { get; } = maxAttempts;

    /// <summary>Fires on a cancel request, the job's timeout, or worker shutdown.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public ILogger Logger { get; } = logger;

    /// <summary>Reports progress; cheap to call often: reports are coalesced before they are written.</summary>
    public void ReportProgress(int percent, string? message = null, string? step = null) =>
        progress.Report(new JobProgress(Math.Clamp(percent, 0, 100), message, step));
}
