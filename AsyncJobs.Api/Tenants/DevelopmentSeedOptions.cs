namespace AsyncJobs.Api.Tenants;

/// <summary>The development tenant and API key that ./run.sh and the tests start with (<c>Seed__ApiKey</c>).</summary>
public sealed class DevelopmentSeedOptions
{
    public const string SectionName = "Seed";

    public string? ApiKey { get; set; }

    public string TenantName { get; set; } = "development";
}
