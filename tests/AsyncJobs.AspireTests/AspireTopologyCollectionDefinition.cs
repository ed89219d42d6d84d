namespace AsyncJobs.AspireTests;

/// <summary>One Aspire topology shared by every scenario in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class AspireTopologyCollectionDefinition : ICollectionFixture<AspireTopologyFixture>
{
    public const string Name = "Aspire topology";
}
