using AsyncJobs.Core.Data;
namespace AsyncJobs.Api.Jobs;

/// <summary>What the job endpoints need, taken as one parameter with [AsParameters].</summary>
public sealed class JobServices(
    JobsDbContext db,
    JobSubmission submission,
    JobLinkBuilder links,
    SubmissionOptions options)
{
    public JobsDbContext Db { get; } = db;

    public JobSubmission Submission { get; } = submission;

    public JobLinkBuilder Links { get; } = links;

    public SubmissionOptions Options { get; } = options;
}
