namespace AsyncJobs.IntegrationTests.Topology;

[CollectionDefinition(Name)]
public sealed class TopologyCollectionDefinition : ICollectionFixture<LocalTopologyFixture>
{
    public const string Name = "topology";
}
