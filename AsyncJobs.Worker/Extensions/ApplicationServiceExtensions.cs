using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Postgres;
using AsyncJobs.Worker.Cancellation;
using AsyncJobs.Worker.Dashboard;
using AsyncJobs.Worker.Execution;
using AsyncJobs.Worker.Hangfire;
using AsyncJobs.Worker.Maintenance;
using AsyncJobs.Worker.Observability;
using AsyncJobs.Worker.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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

        // The host must wait for the grace period and the hand-backs before it stops anything else.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = worker.Value.ShutdownGracePeriod + worker.Value.HandBackTimeout + TimeSpan.FromSeconds(2));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddJobHandlers();
        builder.Services.AddSingleton<PostCommitNotifier>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton<JobMetrics>();
        builder.Services.AddSingleton<RunningJobs>();
        builder.Services.AddSingleton<LiveProgressPublisher>();
        builder.Services.AddTransient<JobRunner>();

        // Hosted services stop in reverse order of registration: these three are registered before the Hangfire
        // server so that they stop after it, keeping leases renewed and cancels working while jobs finish.
        builder.Services.AddHostedService<JobHeartbeat>();
        builder.Services.AddHostedService<CancellationListener>();
        builder.Services.AddHostedService<CancelRequestPoller>();
        // Read here, not through IOptions: whether the Hangfire server exists is decided while services are registered.
        builder.Services.AddHangfireOnJobsDatabase(builder.Configuration.GetValue($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.ExecuteJobs)}", true));

        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        builder.Services.AddHostedService<Rescuer>();
        builder.Services.AddHostedService<QueueMonitor>();

        builder.Services.AddDashboardAuthentication();
        return builder;
    }
}
