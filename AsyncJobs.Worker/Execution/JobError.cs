using System.Text.Json;
using AsyncJobs.Core;

namespace AsyncJobs.Worker.Execution;

/// <summary>The error recorded for a failed attempt (the job's <c>error</c> field).</summary>
public sealed record JobError(string Type, string Message, bool Retryable, int Attempt)
{
    public string ToJson() => JsonSerializer.Serialize(this, JobsJson.Options);
}
