namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>What a <c>report.generate</c> job can group its sales rows by.</summary>
public static class ReportGroupings
{
    public const string Region = "region";

    public const string Product = "product";

    public const string Month = "month";
}
