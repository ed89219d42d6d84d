using System.Text.Json;

namespace AsyncJobs.Api.Jobs;

public sealed record JobResponse(
    Guid Id,
    string Type,
    string Status,
    string Priority,
    int Attempt,
    int MaxAttempts,
    int TimeoutSeconds,
    JobProgressResponse Progress,
    JsonElement? Result,
    JsonElement? Error,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<JobHistoryEntry> History,
    JobLinks Links);

public sealed record JobProgressResponse(int Percent, string? Message, string? Step);

/// <summary>One state change: the state entered, on which attempt, when, and the attempt's error when it failed.</summary>
public sealed record JobHistoryEntry(string Status, int Attempt, JsonElement? Error, DateTimeOffset At);
