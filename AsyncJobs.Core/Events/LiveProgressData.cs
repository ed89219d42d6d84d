using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Core.Events;

/// <summary>
/// The <c>data:</c> of a live <c>job.progress</c> frame: the durable event's fields that progress changes, with
/// <see cref="Sequence"/> = the newest durable event's sequence (the frame has no <c>id:</c> of its own) and <c>live: true</c>.
/// </summary>
public sealed record LiveProgressData(
    Guid JobId,
    int Sequence,
    string Type,
    string Status,
    int Attempt,
    JobProgress Progress,
    DateTimeOffset OccurredAt,
    bool Live);
