using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncJobs.Core.Tenants;

public static class StreamTicketAuthentication
{
    /// <summary>The policy of the tenant event stream: an API key (header) or a stream ticket (query).</summary>
    public const string TenantEventStreamPolicy = "TenantEventStream";

    private const string TicketOrCallerScheme = "StreamTicketOrCaller";

    /// <summary>
    /// Adds the stream-ticket scheme next to <see cref="CallerAuthenticationExtensions.AddCallerAuthentication"/>.
    /// A request with <c>?ticket=</c> is judged by the ticket alone, so a bad ticket gets the ticket's 401.
    /// </summary>
    public static IServiceCollection AddStreamTicketAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<StreamTicketStore>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, StreamTicketAuthenticationHandler>(StreamTicketAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(TicketOrCallerScheme, null, options => options.ForwardDefaultSelector = context =>
                context.Request.Query.ContainsKey(StreamTicketAuthenticationHandler.QueryParameter)
                    ? StreamTicketAuthenticationHandler.SchemeName
                    : CallerAuthenticationHandler.SchemeName);
        services.AddAuthorizationBuilder()
            .AddPolicy(TenantEventStreamPolicy, policy => policy.AddAuthenticationSchemes(TicketOrCallerScheme).RequireAuthenticatedUser());
        return services;
    }
}
