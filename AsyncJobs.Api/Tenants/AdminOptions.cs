namespace AsyncJobs.Api.Tenants;

/// <summary>The operator's key (<c>Admin__ApiKey</c>) for tenant administration; unset disables those endpoints.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string? ApiKey { get; set; }
}
