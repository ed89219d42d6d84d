namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>The webhook scenarios share one topology whose notifiers retry within a second and deliver to loopback.</summary>
[CollectionDefinition(Name)]
public sealed class WebhookCollectionDefinition : ICollectionFixture<WebhookTopologyFixture>
{
    public const string Name = "webhooks";
}
