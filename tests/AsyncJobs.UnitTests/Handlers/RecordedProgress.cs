using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Jobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsyncJobs.UnitTests.Handlers;

/// <summary>
/// Every progress report a handler makes, in order, and a <see cref="JobContext"/> that records into it.
/// <paramref name="afterReport"/> sees the number of reports so far, e.g. to cancel mid-job.
/// </summary>
public sealed class RecordedProgress(Action<int>? afterReport = null) : IProgress<JobProgress>
{
    private readonly List<JobProgress> reports = [];

    public IReadOnlyList<JobProgress> Reports => reports;

    public void Report(JobProgress value)
    {
        reports.Add(value);
        afterReport?.Invoke(reports.Count);
    }

    public JobContext Context(CancellationToken cancellationToken, int attempt = 1) =>
        new(Guid.CreateVersion7(), attempt, maxAttempts: 3, this, NullLogger.Instance, cancellationToken);
}
