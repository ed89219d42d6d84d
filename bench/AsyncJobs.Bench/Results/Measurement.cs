namespace AsyncJobs.Bench.Results;

/// <summary>One figure, next to the baseline it is compared with in the same run.</summary>
public sealed record Measurement(
    string Name,
    double? Value,
    string Unit,
    string? Baseline = null,
    double? BaselineValue = null,
    Target? Target = null,
    string? Note = null)
{
    /// <summary>Figure ÷ baseline.</summary>
    public double? Ratio => Value is { } value && BaselineValue is { } baseline && baseline != 0 ? value / baseline : null;

    public bool? MeetsTarget => Target?.IsMetBy(Value, Ratio);
}
