using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

public static class HangfireSetup
{
    public const string SchemaName = "hangfire";

    // Distinct from the EF migration lock: several workers may start at once and must not install twice.
    private const long InstallLockKey = 0x4173_796E_6348_6631;

    public static IServiceCollection AddHangfireOnJobsDatabase(this IServiceCollection services, bool executeJobs)
    {
        services.AddSingleton<NewJobListener>();
        services.AddSingleton<HangfireQueueVacuum>();
        services.AddHangfire((provider, configuration) =>
        {
            var options = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
            InstallSchema(dataSource);
            var storageOptions = StorageOptions(options);
            var storage = new AsyncJobsHangfireStorage(dataSource, storageOptions);
            HangfireQueueTable.Install(storage, storageOptions, dataSource, provider.GetRequiredService<NewJobListener>().WakeUp,
                provider.GetRequiredService<HangfireQueueVacuum>(), HangfireQueues.ByPriority);
            configuration
                .UseAsyncJobsSerialization()
                .WithoutCultureCapture()
                .UseStorage(storage);
        });

        if (!executeJobs)
        {
            return services;
        }

        // Registered before the server, so it listens before the first fetch and stops after the last.
        services.AddHostedService(provider => provider.GetRequiredService<NewJobListener>());
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            server.Queues = HangfireQueues.ByPriority;
            server.WorkerCount = options.WorkerCount;
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            server.SchedulePollingInterval = options.SchedulePollingInterval;

            // On SIGTERM Hangfire stops fetching at once (its stopping token) but fires the jobs' tokens only after
            // StopTimeout: that is the grace period in which running jobs may finish. The runner hands back what is
            // still running then, within HandBackTimeout, after which Hangfire gives up waiting (ShutdownTimeout).
            server.StopTimeout = options.ShutdownGracePeriod;
            server.ShutdownTimeout = options.ShutdownGracePeriod + options.HandBackTimeout;
        });
        return services;
    }

    /// <summary>How jobs and states are serialized; <see cref="HangfireBatchEnqueue"/> writes rows with these very settings.</summary>
    public static IGlobalConfiguration UseAsyncJobsSerialization(this IGlobalConfiguration configuration) => configuration
        .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
        .UseSimpleAssemblyNameTypeSerializer()
        .UseRecommendedSerializerSettings();

    /// <summary>
    /// Drops Hangfire's global <see cref="CaptureCultureAttribute"/>: it stores the caller's culture with every job
    /// created and reads it back in two queries before every run, so the job runs under the creator's culture. Every
    /// job here is <see cref="JobRunnerInvocation"/> in processes without culture data (invariant globalization), so it
    /// would store and restore the invariant culture at three statements per job. <see cref="HangfireBatchEnqueue"/>
    /// writes the rows Hangfire's client writes without it.
    /// </summary>
    public static IGlobalConfiguration WithoutCultureCapture(this IGlobalConfiguration configuration)
    {
        GlobalJobFilters.Filters.Remove(typeof(CaptureCultureAttribute));
        return configuration;
    }

    private static PostgreSqlStorageOptions StorageOptions(WorkerOptions options) => new()
    {
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = false,
        // HangfireQueueTable listens once per process instead; this would give every idle worker thread a LISTEN of its own.
        EnableLongPolling = false,
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = options.InvisibilityTimeout,
        QueuePollInterval = options.QueuePollInterval,
        DistributedLockTimeout = options.HangfireLockTimeout,
    };

    private static void InstallSchema(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({InstallLockKey})", connection))
        {
            command.ExecuteNonQuery();
        }

        try
        {
            PostgreSqlObjectsInstaller.Install(connection, SchemaName);
        }
        finally
        {
            using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({InstallLockKey})", connection);
            unlock.ExecuteNonQuery();
        }
    }
}
