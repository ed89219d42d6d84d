namespace AsyncJobs.Core.Jobs;

/// <summary>
/// The one place that knows which state changes are legal:
/// queued → running → succeeded | failed | cancelled, running → retrying → running,
/// and a dead-lettered (failed) job may be queued again by hand.
/// The guarded SQL in <see cref="Data.JobTransitions"/> encodes the same table as WHERE clauses.
/// </summary>
public static class JobStateMachine
{
    private static readonly Dictionary<JobState, JobState[]> Allowed = new()
    {
        [JobState.Queued] = [JobState.Running, JobState.Cancelled],
        [JobState.Running] = [JobState.Succeeded, JobState.Failed, JobState.Cancelled, JobState.Retrying],
        [JobState.Retrying] = [JobState.Running, JobState.Cancelled],
        [JobState.Failed] = [JobState.Queued],
        [JobState.Succeeded] = [],
        [JobState.Cancelled] = [],
    };

    public static bool CanTransition(JobState from, JobState to) => Allowed[from].Contains(to);

    /// <summary>The states a job may be in just before it moves to <paramref name="to"/>.</summary>
    public static IReadOnlyList<JobState> StatesLeadingTo(JobState to) =>
        Allowed.Where(pair => pair.Value.Contains(to)).Select(pair => pair.Key).ToArray();

    /// <summary>Succeeded, failed (dead-lettered) and cancelled jobs do not run again unless retried by hand.</summary>
    public static bool IsTerminal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public static void EnsureTransition(JobState from, JobState to)
    {
        if (!CanTransition(from, to))
        {
            throw new InvalidJobTransitionException(from, to);
        }
    }
}
