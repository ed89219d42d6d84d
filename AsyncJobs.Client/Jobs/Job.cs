using System.Text.Json;

namespace AsyncJobs.Client.Jobs;

/// <summary>A job as <c>GET /jobs/{id}</c> shows it: state, progress, outcome and history.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Type">The job type, e.g. <c>demo.simulate</c>.</param>
/// <param name="Status">The current state.</param>
/// <param name="Priority">The job's priority.</param>
/// <param name="Attempt">The current (or last) attempt, from 1; 0 before the first.</param>
/// <param name="MaxAttempts">How many attempts a retryable failure gets, the first included.</param>
/// <param name="TimeoutSeconds">How long one attempt may run.</param>
/// <param name="Progress">The last progress the handler reported.</param>
/// <param name="Result">The result document once succeeded; see <see cref="AsyncJobsClient.GetResultAsync{T}"/> for a typed one.</param>
/// <param name="Error">The last attempt's error, when failed or retrying.</param>
/// <param name="Metadata">The free-form metadata given at submit.</param>
/// <param name="CreatedAt">When the job was accepted.</param>
/// <param name="StartedAt">When the first attempt started.</param>
/// <param name="FinishedAt">When the job reached a terminal state.</param>
/// <param name="History">Every state change, oldest first.</param>
/// <param name="Links">Where to follow the job.</param>
public sealed record Job(
    Guid Id,
    string Type,
    JobStatus Status,
    JobPriority Priority,
    int Attempt,
    int MaxAttempts,
    int TimeoutSeconds,
    JobProgress Progress,
    JsonElement? Result,
    JobError? Error,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<JobHistoryEntry> History,
    JobLinks Links)
{
    /// <summary>True once the job has succeeded, failed or been cancelled.</summary>
    public bool IsTerminal => Status.IsTerminal();
}
