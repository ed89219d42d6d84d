namespace AsyncJobs.Bench.Results;

/// <summary>A goal from issue 8, on the figure itself and/or on its ratio to the baseline. Reported, never asserted.</summary>
public sealed record Target(string Text, double? AtLeast = null, double? AtMost = null, double? RatioAtLeast = null, double? RatioAtMost = null)
{
    public bool? IsMetBy(double? value, double? ratio)
    {
        if (value is null || ((RatioAtLeast is not null || RatioAtMost is not null) && ratio is null))
        {
            return null;
        }

        return (AtLeast is null || value >= AtLeast)
            && (AtMost is null || value <= AtMost)
            && (RatioAtLeast is null || ratio >= RatioAtLeast)
            && (RatioAtMost is null || ratio <= RatioAtMost);
    }
}
