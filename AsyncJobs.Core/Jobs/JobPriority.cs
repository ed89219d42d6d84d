namespace AsyncJobs.Core.Jobs;

/// <summary>Job priority; each maps to its own Hangfire queue, and high is served first.</summary>
public enum JobPriority
{
    High,
    Normal,
    Low,
}
