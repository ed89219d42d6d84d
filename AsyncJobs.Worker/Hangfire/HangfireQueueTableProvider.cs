using Hangfire.PostgreSql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>Gives Hangfire the one <see cref="HangfireQueueTable"/> of this process; the dashboard's queue views stay Hangfire.PostgreSql's.</summary>
public sealed class HangfireQueueTableProvider(PostgreSqlStorage storage, PostgreSqlStorageOptions options, HangfireQueueTable queue) : IPersistentJobQueueProvider
{
    private readonly PostgreSqlJobQueueProvider monitoring = new(storage, options);

    public IPersistentJobQueue GetJobQueue() => queue;

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi() => monitoring.GetJobQueueMonitoringApi();
}
