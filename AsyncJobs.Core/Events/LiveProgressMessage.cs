using System.Text.Json;
using System.Text.Json.Serialization;
using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Core.Events;

/// <summary>
/// A running job's latest progress, published by the worker on Redis pub/sub (<see cref="JobEventStreamNames.LiveProgressChannel"/>)
/// more often than durable <c>job.progress</c> events are written. Not durable and not in <c>job_events</c>: a lost one is
/// simply not seen. <see cref="AfterSequence"/> is the sequence of the newest durable event the worker knew of when it
/// published, so a notifier can drop a live frame that is older than a durable event it already sent.
/// <see cref="Data"/> is the SSE <c>data:</c> document (<see cref="LiveProgressData"/>).
/// </summary>
public sealed record LiveProgressMessage(
    Guid TenantId,
    Guid JobId,
    int AfterSequence,
    [property: JsonConverter(typeof(RawJsonConverter))] string Data)
{
    public static LiveProgressMessage Create(Guid tenantId, Guid jobId, int attempt, int afterSequence, JobProgress progress, DateTimeOffset occurredAt) =>
        new(tenantId, jobId, afterSequence, JsonSerializer.Serialize(
            new LiveProgressData(jobId, afterSequence, JobEventTypes.Progress, "running", attempt, progress, occurredAt, Live: true), JobsJson.Options));

    public string ToJson() => JsonSerializer.Serialize(this, JobsJson.Options);

    public static LiveProgressMessage? FromJson(string json) => JsonSerializer.Deserialize<LiveProgressMessage>(json, JobsJson.Options);
}
