using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.OpenApi;
using AsyncJobs.Api.RateLimiting;
using AsyncJobs.Api.StreamTickets;
using AsyncJobs.Api.Tenants;
using AsyncJobs.Api.Webhooks;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Postgres;
using AsyncJobs.Core.Tenants;
using AsyncJobs.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddJobsDbContext<JobsDbContext>(configureDbContext: JobsDbContext.Configure);
        builder.AddJobsRedis();

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options => options.AddExamples());
        builder.Services.AddCallerAuthentication();
        builder.Services.AddSubmissionRateLimiting();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddOptions<SubmissionOptions>()
            .BindConfiguration(SubmissionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(provider => provider.GetRequiredService<IOptions<SubmissionOptions>>().Value);
        builder.Services.AddOptions<DevelopmentSeedOptions>().BindConfiguration(DevelopmentSeedOptions.SectionName);
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);

        builder.Services.AddJobHandlers();
        builder.Services.AddSingleton<PostCommitNotifier>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<JobMetrics>();
        builder.Services.AddSingleton<JobCancellationSignal>();
        builder.Services.AddSingleton<JobLinkBuilder>();
        builder.Services.AddSingleton<BacklogMonitor>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<BacklogMonitor>());
        builder.Services.AddSingleton<AdmissionControl>();
        builder.Services.AddSingleton<AcceptGroupCommit>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AcceptGroupCommit>());
        builder.Services.AddSingleton<JobSubmission>();
        builder.Services.AddScoped<JobReader>();

        builder.Services.AddOptions<WebhookApiOptions>()
            .BindConfiguration(WebhookApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CallbackSecretStore>();
        builder.Services.AddSingleton<WebhookEndpointValidation>();
        builder.Services.AddScoped<WebhookEndpointStore>();
        builder.Services.AddScoped<WebhookDeliveryStore>();

        builder.Services.AddOptions<StreamTicketOptions>()
            .BindConfiguration(StreamTicketOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StreamTicketStore>();
        return builder;
    }
}
