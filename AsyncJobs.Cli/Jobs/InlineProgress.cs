namespace AsyncJobs.Cli.Jobs;

/// <summary>
/// Reports on the caller's thread, in order. <see cref="Progress{T}"/> would post each report to the thread pool,
/// where progress lines could overtake one another or land after the outcome.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
