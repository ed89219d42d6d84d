using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>One event of a job's SSE stream, with the attempt it belongs to and when this test received it.</summary>
public sealed record TimelineEvent(long Id, string Type, string Status, int Attempt, JsonElement? Error, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt)
{
    public bool IsTerminal => Type is "job.succeeded" or "job.failed" or "job.cancelled";

    public string? ErrorType => Error is { ValueKind: JsonValueKind.Object } error && error.TryGetProperty("type", out var type) ? type.GetString() : null;

    public override string ToString() => $"{Id}:{Type}(attempt {Attempt}{(ErrorType is null ? string.Empty : ", " + ErrorType)}) at {OccurredAt:HH:mm:ss.fff}";
}
