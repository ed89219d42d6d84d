using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Api;

// The documents of the job API contract (issue #3), as a client reads them. Web JSON defaults (camelCase).

public sealed record CreatedTenant(Guid TenantId, string Name, string ApiKey);

public sealed record ApiJobLinks(string Self, string Events, string Cancel, string Result);

public sealed record SubmittedJob(Guid Id, string Status, DateTimeOffset CreatedAt, string JobToken, ApiJobLinks Links);

public sealed record ProgressDocument(double Percent, string? Message, string? Step);

public sealed record HistoryEntry(string Status, int Attempt, DateTimeOffset At);

public sealed record JobDocument(
    Guid Id,
    string Type,
    string Status,
    string Priority,
    int Attempt,
    int MaxAttempts,
    int TimeoutSeconds,
    ProgressDocument Progress,
    JsonElement? Result,
    JsonElement? Error,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<HistoryEntry> History,
    ApiJobLinks Links)
{
    public static readonly IReadOnlySet<string> FinishedStatuses = new HashSet<string>(StringComparer.Ordinal) { "succeeded", "failed", "cancelled" };

    public bool IsFinished => FinishedStatuses.Contains(Status);
}

public sealed record JobSummary(
    Guid Id,
    string Type,
    string Status,
    string Priority,
    int Attempt,
    ProgressDocument Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    ApiJobLinks Links);

public sealed record PageLinks(string? Next);

public sealed record JobPage(IReadOnlyList<JobSummary> Items, string? NextCursor, PageLinks Links);

public sealed record DryRunAnswer(bool DryRun, string Type, string Priority, int TimeoutSeconds, int MaxAttempts, JsonElement Plan);

public sealed record SimulateResult(int StepsCompleted, int Attempt, long ElapsedMs);

public sealed record ProblemDocument(string? Type, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors);
