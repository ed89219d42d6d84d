using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncJobs.Core.Tenants;

public static class CallerAuthenticationExtensions
{
    /// <summary>API keys and job tokens as the only authentication scheme; every endpoint requires a caller by default.</summary>
    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyCache>();
        services.AddAuthentication(CallerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CallerAuthenticationHandler>(CallerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services.ShareStatelessAuthorizationServices();
    }
}
