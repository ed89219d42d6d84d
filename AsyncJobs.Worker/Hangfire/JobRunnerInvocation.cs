using AsyncJobs.Worker.Execution;
using Hangfire.Common;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>The one Hangfire job AsyncJobs ever creates: run AsyncJobs job <c>jobId</c> from <c>queue</c>.</summary>
public static class JobRunnerInvocation
{
    public static Job For(Guid jobId, string queue) =>
        Job.FromExpression<JobRunner>(runner => runner.RunAsync(jobId, queue, CancellationToken.None), queue);
}
