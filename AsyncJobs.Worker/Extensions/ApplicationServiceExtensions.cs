using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Worker.Execution;
using AsyncJobs.Worker.Hangfire;
using AsyncJobs.Worker.Outbox;

namespace AsyncJobs.Worker.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJobsDbContext<JobsDbContext>(configureDbContext: JobsDbContext.Configure);
        builder.AddJobsRedis();

        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddJobHandlers();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<JobEventPublisher>();
        builder.Services.AddTransient<JobRunner>();
        builder.Services.AddHangfireOnJobsDatabase();

        builder.Services.AddSingleton<OutboxWakeUp>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OutboxWakeUp>());
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        return builder;
    }
}
