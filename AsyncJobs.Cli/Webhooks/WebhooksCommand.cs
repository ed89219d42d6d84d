using System.CommandLine;
using AsyncJobs.Cli.Connection;

namespace AsyncJobs.Cli.Webhooks;

/// <summary><c>asyncjobs webhooks ...</c>: the tenant's endpoints and their deliveries.</summary>
public static class WebhooksCommand
{
    public static Command Create(GlobalOptions options) => new("webhooks", "Manage webhook endpoints and look into their deliveries")
    {
        WebhookEndpointCommands.List(options),
        WebhookEndpointCommands.Add(options),
        WebhookEndpointCommands.Remove(options),
        WebhookEndpointCommands.Enable(options),
        WebhookEndpointCommands.RotateSecret(options),
        WebhookDeliveryCommands.List(options),
        WebhookDeliveryCommands.Show(options),
        WebhookDeliveryCommands.Redeliver(options),
    };
}
