using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncJobs.Core.Tenants;

public static class SharedAuthorizationServices
{
    private static readonly Type[] Stateless =
    [
        typeof(IAuthorizationService), typeof(IAuthorizationPolicyProvider), typeof(IAuthorizationHandlerProvider),
        typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationHandler),
        typeof(IPolicyEvaluator),
    ];

    /// <summary>
    /// ASP.NET Core registers the authorization services as transients, so every request builds its own nine of
    /// them, and an open event stream holds them for as long as it lasts (about 340 bytes of a notifier's memory per
    /// stream). None keeps per-request state and the only handler is the built-in pass-through, so one instance of
    /// each serves every request. Call it after the first authorization registration (later ones only add policies);
    /// an authorization handler that needs scoped services would have to be resolved per request again.
    /// </summary>
    public static IServiceCollection ShareStatelessAuthorizationServices(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor is { Lifetime: ServiceLifetime.Transient, IsKeyedService: false, ImplementationType: { } implementation }
                && Stateless.Contains(descriptor.ServiceType))
            {
                services[i] = ServiceDescriptor.Singleton(descriptor.ServiceType, implementation);
            }
        }

        return services;
    }
}
