namespace AsyncJobs.Api.Jobs;

/// <summary>One page of jobs, newest first; follow <c>nextCursor</c> (or <c>links.next</c>) for the next page.</summary>
public sealed record JobListResponse(IReadOnlyList<JobSummary> Items, string? NextCursor, JobListLinks Links);

public sealed record JobListLinks(string? Next);

public sealed record JobSummary(
    Guid Id,
    string Type,
    string Status,
    string Priority,
    int Attempt,
    JobProgressResponse Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    JobLinks Links);
