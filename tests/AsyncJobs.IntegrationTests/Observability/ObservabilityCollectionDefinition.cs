namespace AsyncJobs.IntegrationTests.Observability;

/// <summary>The observability scenarios share one topology that exports its telemetry to a receiver in the test.</summary>
[CollectionDefinition(Name)]
public sealed class ObservabilityCollectionDefinition : ICollectionFixture<ObservabilityTopologyFixture>
{
    public const string Name = "observability";
}
