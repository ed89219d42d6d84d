namespace AsyncJobs.Core.Jobs;

/// <summary>The lowercase names job states have on the wire and in the database.</summary>
public static class JobStateNames
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Retrying = "retrying";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static string ToName(this JobState state) => state switch
    {
        JobState.Queued => Queued,
        JobState.Running => Running,
        JobState.Retrying => Retrying,
        JobState.Succeeded => Succeeded,
        JobState.Failed => Failed,
        JobState.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? name, out JobState state)
    {
        foreach (var candidate in Enum.GetValues<JobState>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static JobState Parse(string name) =>
        TryParse(name, out var state) ? state : throw new FormatException($"'{name}' is not a job state.");
}
