namespace AsyncJobs.Worker.Dashboard;

/// <summary>The operator's key (<c>Admin__ApiKey</c>, shared with the API): full access to the Hangfire dashboard.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Unset: nobody has full access; tenants' API keys still open the read-only dashboard.</summary>
    public string? ApiKey { get; set; }
}
