namespace AsyncJobs.Client.Jobs;

/// <summary>A job as a list shows it.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Type">The job type.</param>
/// <param name="Status">The current state.</param>
/// <param name="Priority">The job's priority.</param>
/// <param name="Attempt">The current (or last) attempt.</param>
/// <param name="Progress">The last progress reported.</param>
/// <param name="CreatedAt">When the job was accepted.</param>
/// <param name="FinishedAt">When the job reached a terminal state.</param>
/// <param name="Links">Where to follow the job.</param>
public sealed record JobSummary(
    Guid Id,
    string Type,
    JobStatus Status,
    JobPriority Priority,
    int Attempt,
    JobProgress Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    JobLinks Links);
