namespace AsyncJobs.Client.Jobs;

/// <summary>One page of jobs, newest first.</summary>
/// <param name="Items">The jobs on this page.</param>
/// <param name="NextCursor">Pass as the cursor for the next page; null on the last page.</param>
public sealed record JobPage(IReadOnlyList<JobSummary> Items, string? NextCursor);
