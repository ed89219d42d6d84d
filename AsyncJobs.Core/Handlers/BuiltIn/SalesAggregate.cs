namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>Running count, revenue, minimum and maximum sale amount per group, fed rows chunk by chunk.</summary>
internal sealed class SalesAggregate
{
    private static readonly Func<SaleRow, int> ByRegion = static row => row.Region;

    private static readonly Func<SaleRow, int> ByProduct = static row => row.Product;

    private static readonly Func<SaleRow, int> ByMonth = static row => row.Date.Month - 1;

    private readonly Func<SaleRow, int> groupOf;
    private readonly string[] keys;
    private readonly int[] counts;
    private readonly decimal[] revenues;
    private readonly decimal[] minimums;
    private readonly decimal[] maximums;

    public SalesAggregate(string groupBy)
    {
        (groupOf, keys) = groupBy switch
        {
            ReportGroupings.Region => (ByRegion, SyntheticSales.Regions),
            ReportGroupings.Product => (ByProduct, SyntheticSales.Products),
            ReportGroupings.Month => (ByMonth, MonthKeys()),
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
        };
        counts = new int[keys.Length];
        revenues = new decimal[keys.Length];
        minimums = Enumerable.Repeat(decimal.MaxValue, keys.Length).ToArray();
        maximums = Enumerable.Repeat(decimal.MinValue, keys.Length).ToArray();
    }

    public void Add(ReadOnlySpan<SaleRow> rows)
    {
        foreach (var row in rows)
        {
            var group = groupOf(row);
            var amount = row.Amount;
            counts[group]++;
            revenues[group] += amount;
            minimums[group] = Math.Min(minimums[group], amount);
            maximums[group] = Math.Max(maximums[group], amount);
        }
    }

    /// <summary>The groups that have rows, sorted by key (ordinal), and the totals over all of them.</summary>
    public (IReadOnlyList<ReportGroup> Groups, ReportTotals Totals) Summarize()
    {
        var groups = Enumerable.Range(0, keys.Length)
            .Where(g => counts[g] > 0)
            .Select(g => new ReportGroup(keys[g], counts[g], revenues[g], Average(revenues[g], counts[g]), minimums[g], maximums[g]))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var rows = groups.Sum(g => g.Count);
        var revenue = groups.Sum(g => g.Revenue);
        var totals = groups.Count == 0
            ? new ReportTotals(0, 0, 0, 0, 0)
            : new ReportTotals(rows, revenue, Average(revenue, rows), groups.Min(g => g.Min), groups.Max(g => g.Max));
        return (groups, totals);
    }

    // Rows fall within the year that starts at SyntheticSales.FirstDay; "yyyy-MM" keys sort chronologically.
    private static string[] MonthKeys() =>
        [.. Enumerable.Range(0, 12).Select(m => SyntheticSales.FirstDay.AddMonths(m).ToString("yyyy-MM"))];

    private static decimal Average(decimal revenue, int count) => Math.Round(revenue / count, 2, MidpointRounding.AwayFromZero);
}
