using AsyncJobs.Core.Handlers.BuiltIn;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncJobs.Core.Handlers;

public static class HandlerRegistration
{
    /// <summary>Registers the built-in job types and the registry that finds them by name.</summary>
    public static IServiceCollection AddJobHandlers(this IServiceCollection services)
    {
        services.AddSingleton<IJobHandler, DemoSimulateHandler>();
        services.AddSingleton<IJobHandler, ReportGenerateHandler>();
        services.AddHttpRequestJob();
        services.AddSingleton<JobHandlerRegistry>();
        return services;
    }
}
