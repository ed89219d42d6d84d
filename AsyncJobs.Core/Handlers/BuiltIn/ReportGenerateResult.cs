namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>The report: one line per group, sorted by key, and the figures over every row.</summary>
public sealed record ReportGenerateResult(string GroupBy, int Rows, IReadOnlyList<ReportGroup> Groups, ReportTotals Totals, DateTimeOffset GeneratedAt);

/// <summary>The sales of one group; revenue, average, min and max are sale amounts (quantity × unit price).</summary>
public sealed record ReportGroup(string Key, int Count, decimal Revenue, decimal Average, decimal Min, decimal Max);

/// <summary>The sales over every row of the report.</summary>
public sealed record ReportTotals(int Rows, decimal Revenue, decimal Average, decimal Min, decimal Max);
