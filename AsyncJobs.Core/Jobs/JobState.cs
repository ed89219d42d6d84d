namespace AsyncJobs.Core.Jobs;

/// <summary>The lifecycle of a job. <see cref="JobStateMachine"/> says which moves are legal.</summary>
public enum JobState
{
    Queued,
    Running,
    Retrying,
    Succeeded,
    Failed,
    Cancelled,
}
