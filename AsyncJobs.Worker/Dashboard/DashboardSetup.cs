using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;

namespace AsyncJobs.Worker.Dashboard;

public static class DashboardSetup
{
    public const string Path = "/hangfire";
    private const string PolicyName = "HangfireDashboard";

    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DashboardAuthenticationHandler>(DashboardAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(DashboardAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The dashboard at <c>/hangfire</c>: read-only unless the caller presented the admin key.</summary>
    public static IEndpointConventionBuilder MapWorkerDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(PolicyName, Path, new DashboardOptions
        {
            DashboardTitle = "AsyncJobs worker",
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(DashboardRoles.Admin),
        });
}
