using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Core.Events;

public static class JobEventTypes
{
    public const string Queued = "job.queued";
    public const string Running = "job.running";
    public const string Progress = "job.progress";
    public const string Retrying = "job.retrying";
    public const string Succeeded = "job.succeeded";
    public const string Failed = "job.failed";
    public const string Cancelled = "job.cancelled";

    public static string ForState(JobState state) => "job." + state.ToName();

    public static bool IsTerminal(string type) => type is Succeeded or Failed or Cancelled;
}
