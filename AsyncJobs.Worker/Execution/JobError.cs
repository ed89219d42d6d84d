using System.Text.Json;
using System.Text.Json.Serialization;
using AsyncJobs.Core;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// The error recorded for a failed attempt (the job's <c>error</c> field). A retried attempt also says when the
/// next one is due, so clients (and tests) can see the backoff.
/// </summary>
public sealed record JobError(string Type, string Message, bool Retryable, int Attempt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NextAttemptAt { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JobsJson.Options);
}
