namespace AsyncJobs.Bench.Results;

/// <summary>What one scenario measured; filled in as it runs, so a failure still keeps what came before it.</summary>
public sealed class ScenarioResult(string name, string title)
{
    public string Name { get; } = name;

    public string Title { get; } = title;

    public ScenarioStatus Status { get; set; } = ScenarioStatus.Succeeded;

    public string? Error { get; set; }

    public double DurationSeconds { get; set; }

    public List<Measurement> Measurements { get; } = [];

    public List<LatencySeries> Latencies { get; } = [];

    public List<ThroughputBar> Throughputs { get; } = [];

    /// <summary>How the figures were obtained and what limits them: printed under the scenario's table.</summary>
    public List<string> Notes { get; } = [];

    public Measurement Add(Measurement measurement)
    {
        Measurements.Add(measurement);
        return measurement;
    }
}
