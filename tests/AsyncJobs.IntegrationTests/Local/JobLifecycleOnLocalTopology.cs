using AsyncJobs.IntegrationTests.Scenarios;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Local;

[Collection(TopologyCollectionDefinition.Name)]
public sealed class JobLifecycleOnLocalTopology(LocalTopologyFixture fixture) : JobLifecycleScenarios(fixture);
