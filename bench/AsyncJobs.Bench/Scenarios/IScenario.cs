using AsyncJobs.Bench.Results;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>One figure family of issue 8, measured next to its baselines in the same run.</summary>
public interface IScenario
{
    /// <summary>The name <c>--only</c> takes.</summary>
    string Name { get; }

    string Title { get; }

    Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken);
}
