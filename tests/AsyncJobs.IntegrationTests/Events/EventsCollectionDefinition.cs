namespace AsyncJobs.IntegrationTests.Events;

[CollectionDefinition(Name)]
public sealed class EventsCollectionDefinition : ICollectionFixture<EventsTopologyFixture>
{
    public const string Name = "events";
}
