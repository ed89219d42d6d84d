namespace AsyncJobs.IntegrationTests.LiveConsole;

[CollectionDefinition(Name)]
public sealed class LiveConsoleCollectionDefinition : ICollectionFixture<LiveConsoleFixture>
{
    public const string Name = "live-console";
}
