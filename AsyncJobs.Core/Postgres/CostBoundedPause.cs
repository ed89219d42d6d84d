namespace AsyncJobs.Core.Postgres;

/// <summary>
/// Paces a periodic statement whose cost grows with the data (a count, a VACUUM): after a run that took
/// <c>took</c>, the next waits at least (<c>costRatio</c> − 1) times as long, so the statement never takes more than
/// 1/<c>costRatio</c> of the time, and otherwise keeps its interval.
/// </summary>
public static class CostBoundedPause
{
    public static TimeSpan After(TimeSpan took, TimeSpan interval, int costRatio) =>
        TimeSpan.FromTicks(Math.Max((interval - took).Ticks, took.Ticks * (costRatio - 1)));
}
