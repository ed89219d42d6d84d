using Npgsql;

namespace AsyncJobs.Api.Jobs;

/// <summary>Counts jobs waiting to run (all tenants) once a second, so admission control costs no query per request.</summary>
public sealed partial class BacklogMonitor(NpgsqlDataSource dataSource, ILogger<BacklogMonitor> logger) : BackgroundService
{
    private long waiting;

    public long Waiting => Interlocked.Read(ref waiting);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT count(*) FROM jobs WHERE state IN ('queued', 'retrying')");
                Interlocked.Exchange(ref waiting, (long)(await command.ExecuteScalarAsync(stoppingToken))!);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCountFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the backlog; admission control uses the last count")]
    private partial void LogCountFailed(Exception exception);
}
