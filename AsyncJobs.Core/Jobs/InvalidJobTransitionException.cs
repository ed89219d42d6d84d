namespace AsyncJobs.Core.Jobs;

public sealed class InvalidJobTransitionException(JobState from, JobState to)
    : InvalidOperationException($"A job cannot move from {from.ToName()} to {to.ToName()}.")
{
    public JobState From { get; } = from;

    public JobState To { get; } = to;
}
