using Microsoft.Extensions.Options;
using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Tenants;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Tenants;

namespace AsyncJobs.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJobsDbContext<JobsDbContext>(configureDbContext: JobsDbContext.Configure);
        builder.AddJobsRedis();

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddCallerAuthentication();
        builder.Services.AddJobHandlers();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<JobEventPublisher>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<JobSubmission>();
        builder.Services.AddSingleton<JobLinkBuilder>();
        builder.Services.AddOptions<SubmissionOptions>()
            .BindConfiguration(SubmissionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(provider => provider.GetRequiredService<IOptions<SubmissionOptions>>().Value);
        builder.Services.AddOptions<DevelopmentSeedOptions>().BindConfiguration(DevelopmentSeedOptions.SectionName);
        return builder;
    }
}
