using System.Text.Json;
using AsyncJobs.Client.Jobs;

namespace AsyncJobs.Client.Events;

/// <summary>
/// One event of a job, as the notifier streams it. Per job, <see cref="Sequence"/> counts 1, 2, 3, ... without gaps.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Sequence">The event's number within its job, from 1.</param>
/// <param name="Type">The event type: <c>job.queued</c>, <c>job.running</c>, <c>job.progress</c>, <c>job.retrying</c>, <c>job.succeeded</c>, <c>job.failed</c>, <c>job.cancelled</c>.</param>
/// <param name="Status">The job's state after the event.</param>
/// <param name="Attempt">The attempt at the event.</param>
/// <param name="Progress">The job's progress at the event.</param>
/// <param name="Result">The result, on <c>job.succeeded</c>.</param>
/// <param name="Error">The error, on <c>job.retrying</c> and <c>job.failed</c>.</param>
/// <param name="OccurredAt">When the event happened.</param>
public sealed record JobEvent(
    Guid JobId,
    int Sequence,
    string Type,
    JobStatus Status,
    int Attempt,
    JobProgress? Progress,
    JsonElement? Result,
    JobError? Error,
    DateTimeOffset OccurredAt)
{
    /// <summary>
    /// The SSE <c>id:</c> the event came with: the job's <see cref="Sequence"/> on a job stream, the global event id on the
    /// tenant stream. Resume after it with <c>Last-Event-ID</c>.
    /// </summary>
    public long StreamId { get; init; }

    /// <summary>True for the last event of a job: succeeded, failed or cancelled.</summary>
    public bool IsTerminal => Type is JobEventTypes.Succeeded or JobEventTypes.Failed or JobEventTypes.Cancelled;
}
