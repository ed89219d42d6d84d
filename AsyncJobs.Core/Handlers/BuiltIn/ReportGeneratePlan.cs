namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>What a <c>report.generate</c> job would do: the rows it aggregates, in how many chunks, and about how long it takes.</summary>
public sealed record ReportGeneratePlan(int Rows, int Chunks, string GroupBy, long EstimatedDurationMs);
