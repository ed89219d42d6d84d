namespace AsyncJobs.IntegrationTests.Handlers;

/// <summary>The built-in job types, run end to end on a topology of their own (see <see cref="HandlerTopologyFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class HandlersCollectionDefinition : ICollectionFixture<HandlerTopologyFixture>
{
    public const string Name = "handlers";
}
