using AsyncJobs.IntegrationTests.Scenarios;

namespace AsyncJobs.AspireTests;

[Collection(AspireTopologyCollectionDefinition.Name)]
public sealed class JobLifecycleOnAspireTopology(AspireTopologyFixture fixture) : JobLifecycleScenarios(fixture);
