namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>The execution scenarios kill, stop and add workers: they share one topology of their own and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ExecutionCollectionDefinition : ICollectionFixture<ExecutionTopologyFixture>
{
    public const string Name = "execution";
}
