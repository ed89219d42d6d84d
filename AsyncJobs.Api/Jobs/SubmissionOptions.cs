using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Api.Jobs;

public sealed class SubmissionOptions
{
    public const string SectionName = "Submission";

    [Range(1, 86_400)]
    public int DefaultTimeoutSeconds { get; set; } = 300;

    [Range(1, 86_400)]
    public int MaxTimeoutSeconds { get; set; } = 86_400;

    [Range(1, 100)]
    public int DefaultMaxAttempts { get; set; } = 3;

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>What clients are told to wait before polling again (Retry-After, seconds).</summary>
    [Range(1, 3600)]
    public int PollAfterSeconds { get; set; } = 1;
}
