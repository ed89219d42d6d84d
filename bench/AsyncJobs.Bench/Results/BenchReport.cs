namespace AsyncJobs.Bench.Results;

/// <summary>Everything one run measured: written as latest.json and latest.md.</summary>
public sealed class BenchReport
{
    public required string Mode { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; set; }

    public required string Machine { get; init; }

    /// <summary>The 1-minute load average when the run started: a busy machine makes every figure noisy.</summary>
    public required double LoadAverageAtStart { get; init; }

    public required string Commit { get; init; }

    public List<ScenarioResult> Scenarios { get; } = [];

    public bool Failed => Scenarios.Exists(s => s.Status == ScenarioStatus.Failed);
}
