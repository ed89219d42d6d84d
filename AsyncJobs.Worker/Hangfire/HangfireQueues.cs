using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Worker.Hangfire;

public static class HangfireQueues
{
    /// <summary>Hangfire serves queues in this order, so high-priority jobs are taken first.</summary>
    public static readonly string[] ByPriority = ["high", "normal", "low"];

    public static string For(JobPriority priority) => priority.ToName();
}
