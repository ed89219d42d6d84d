using AsyncJobs.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Notifier.Webhooks;

public static class WebhookDeliveryRegistration
{
    /// <summary>Registers the webhook fan-out (one leader), the dispatcher (every replica), their options and HTTP client.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                new WebhookConnector(provider.GetRequiredService<IOptions<WebhookOptions>>().Value.CreateAddressPolicy()).CreateHandler())
            // The service defaults give every client retries and service discovery. This one calls tenants' URLs: the
            // dispatcher owns retries (each attempt is one request, recorded), and a name must not resolve to a service.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());
        services.AddSingleton<CallbackSecretStore>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDeliveries>();
        services.AddHostedService<WebhookFanOut>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
