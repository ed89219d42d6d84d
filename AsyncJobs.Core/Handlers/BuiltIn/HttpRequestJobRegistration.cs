using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Core.Handlers.BuiltIn;

public static class HttpRequestJobRegistration
{
    /// <summary>Registers <c>http.request</c>: its handler, its options (<c>HttpRequestJob</c> section) and its HTTP client.</summary>
    public static IServiceCollection AddHttpRequestJob(this IServiceCollection services)
    {
        services.AddOptions<HttpRequestJobOptions>().BindConfiguration(HttpRequestJobOptions.SectionName);
        services.AddHttpClient(HttpRequestHandler.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                new HttpRequestConnector(provider.GetRequiredService<IOptions<HttpRequestJobOptions>>().Value.AddressPolicy()).CreateHttpHandler())
            // The service defaults give every client retries and service discovery. This one calls tenants' URLs: the
            // job runner owns retries (each attempt is one call), and a service name must not resolve to an internal endpoint.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());
        services.AddSingleton<IJobHandler, HttpRequestHandler>();
        return services;
    }
}
