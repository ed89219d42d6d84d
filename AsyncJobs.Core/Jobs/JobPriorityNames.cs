namespace AsyncJobs.Core.Jobs;

public static class JobPriorityNames
{
    public static string ToName(this JobPriority priority) => priority switch
    {
        JobPriority.High => "high",
        JobPriority.Normal => "normal",
        JobPriority.Low => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
    };

    public static bool TryParse(string? name, out JobPriority priority)
    {
        foreach (var candidate in Enum.GetValues<JobPriority>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                priority = candidate;
                return true;
            }
        }

        priority = JobPriority.Normal;
        return false;
    }
}
