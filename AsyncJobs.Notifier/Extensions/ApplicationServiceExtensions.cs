using AsyncJobs.Core.Data;
using AsyncJobs.Core.Tenants;
using AsyncJobs.Notifier.Events;
using AsyncJobs.Notifier.Observability;
using AsyncJobs.Notifier.Webhooks;

namespace AsyncJobs.Notifier.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJobsDbContext<JobsDbContext>(configureDbContext: JobsDbContext.Configure);
        builder.AddJobsRedis();

        builder.Services.AddProblemDetails();
        builder.Services.AddCallerAuthentication();
        builder.Services.AddStreamTicketAuthentication();
        builder.Services.AddEventStreamCors();
        builder.Services.AddOptions<StreamOptions>()
            .BindConfiguration(StreamOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotifierMetrics>();
        builder.Services.AddSingleton<JobEventHistory>();
        builder.Services.AddHostedService<EventStreamRelay>();
        builder.Services.AddSingleton<JobEventHub>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<JobEventHub>());
        builder.Services.AddSingleton<JobEventFeed>();
        builder.Services.AddWebhookDelivery();
        return builder;
    }
}
