namespace AsyncJobs.IntegrationTests.Stranding;

/// <summary>The drains load the machine and kill database connections: they share one topology of their own and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class StrandingCollectionDefinition : ICollectionFixture<StrandingTopologyFixture>
{
    public const string Name = "stranding";
}
