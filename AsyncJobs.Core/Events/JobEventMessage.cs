using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyncJobs.Core.Events;

/// <summary>
/// A job event as it travels from the writer to the notifier (Redis) and on to subscribers.
/// <see cref="Data"/> is the JSON document subscribers receive as the SSE <c>data:</c> field:
/// <c>{jobId, sequence, type, status, attempt, progress{percent,message,step}, result, error, occurredAt}</c>.
/// </summary>
public sealed record JobEventMessage(
    long EventId,
    Guid TenantId,
    Guid JobId,
    int Sequence,
    string Type,
    [property: JsonConverter(typeof(RawJsonConverter))] string Data)
{
    /// <summary>The W3C trace context of the event's job, when the reader fetched it (the relay does); never sent on.</summary>
    [JsonIgnore]
    public string? TraceParent { get; init; }

    public static JobEventMessage FromEntity(JobEvent entity) =>
        new(entity.Id, entity.TenantId, entity.JobId, entity.Sequence, entity.Type, entity.Data);

    public string ToJson() => JsonSerializer.Serialize(this, JobsJson.Options);

    public static JobEventMessage? FromJson(string json) => JsonSerializer.Deserialize<JobEventMessage>(json, JobsJson.Options);
}
