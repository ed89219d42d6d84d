using AsyncJobs.Core.Postgres;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// The one LISTEN on <see cref="HangfireQueueTable.NewJobChannel"/> in this process. Each notification wakes a single
/// idle worker thread (<see cref="HangfireQueueTable"/>), where Hangfire.PostgreSql's long polling gives every idle
/// thread its own LISTEN connection and wakes them all.
/// </summary>
public sealed class NewJobListener(NpgsqlDataSource dataSource, ILogger<NewJobListener> logger) : BackgroundService
{
    public ChannelWakeUp WakeUp { get; } = new(dataSource, HangfireQueueTable.NewJobChannel, logger);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => WakeUp.ListenAsync(stoppingToken);

    public override void Dispose()
    {
        WakeUp.Dispose();
        base.Dispose();
    }
}
