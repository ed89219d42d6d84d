using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Scenarios;

public sealed record JobLinks(string Self, string Events, string Cancel);

public sealed record JobAccepted(string Id, string Status, DateTimeOffset CreatedAt, string? JobToken, JobLinks Links);

public sealed record JobProgress(double Percent, string? Message, JsonElement? Step);

public sealed record JobStatusHistoryEntry(string Status, DateTimeOffset At);

public sealed record JobView(
    string Id,
    string Type,
    string Status,
    int Attempt,
    int MaxAttempts,
    JobProgress? Progress,
    JsonElement? Result,
    JsonElement? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<JobStatusHistoryEntry> History,
    JobLinks Links);

public sealed record JobEventData(string JobId, long Sequence, string Type, string Status, JobProgress? Progress, JsonElement? Result, JsonElement? Error, DateTimeOffset OccurredAt);

/// <summary>One Server-Sent Event of a job's stream: <c>id:</c>, <c>event:</c> and the JSON <c>data:</c>.</summary>
public sealed record JobStreamEvent(long Id, string Type, JobEventData Data)
{
    public static readonly IReadOnlySet<string> TerminalTypes = new HashSet<string>(StringComparer.Ordinal) { "job.succeeded", "job.failed", "job.cancelled" };

    public bool IsTerminal => TerminalTypes.Contains(Type);
}
