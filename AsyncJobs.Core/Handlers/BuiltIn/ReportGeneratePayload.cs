using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>Drives <see cref="ReportGenerateHandler"/>: how many synthetic sales rows, from which seed, grouped how.</summary>
public sealed record ReportGeneratePayload
{
    [Range(1, 5_000_000)]
    public int Rows { get; init; } = 100_000;

    /// <summary>The same seed (and row count) always yields the same rows, so a retried attempt reports the same figures.</summary>
    public int Seed { get; init; } = 1;

    [AllowedValues(ReportGroupings.Region, ReportGroupings.Product, ReportGroupings.Month, ErrorMessage = "Use region, product or month.")]
    public string GroupBy { get; init; } = ReportGroupings.Region;

    /// <summary>Rows aggregated between two progress reports and cancellation checks; it does not change the report.</summary>
    [Range(1_000, 1_000_000)]
    public int ChunkSize { get; init; } = 10_000;
}
