namespace AsyncJobs.Client.Jobs;

/// <summary>Which jobs to list; every filter is optional.</summary>
public sealed record JobListFilter
{
    /// <summary>Only jobs in this state; <see cref="JobStatus.Failed"/> lists the dead letters.</summary>
    public JobStatus? State { get; init; }

    /// <summary>Only jobs of this type.</summary>
    public string? Type { get; init; }

    /// <summary>Only jobs accepted after this instant (exclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Jobs per page, 1 to 100; the API's default (20) when null.</summary>
    public int? PageSize { get; init; }
}
