using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Execution;

public sealed record ExecutionHistoryEntry(string Status, int Attempt, JsonElement? Error, DateTimeOffset At);

/// <summary>The parts of <c>GET /jobs/{id}</c> the execution scenarios check.</summary>
public sealed record ExecutionJobView(
    string Id,
    string Status,
    int Attempt,
    int MaxAttempts,
    JsonElement? Result,
    JsonElement? Error,
    IReadOnlyList<ExecutionHistoryEntry> History);
