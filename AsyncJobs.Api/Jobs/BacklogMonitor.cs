using AsyncJobs.Core.Postgres;
using Npgsql;

namespace AsyncJobs.Api.Jobs;

/// <summary>
/// Counts jobs waiting to run (all tenants) so admission control costs no query per request: once a second, but never
/// more than 1/<see cref="CostRatio"/> of the time. Counting a large backlog is not cheap (118 ms for about 40,000
/// waiting jobs while accepting 2,000 a second here), and a count every second would then take a tenth of a core from
/// the very accepts it guards; the bound is soft anyway.
/// </summary>
public sealed partial class BacklogMonitor(NpgsqlDataSource dataSource, TimeProvider time, ILogger<BacklogMonitor> logger) : BackgroundService
{
    private const int CostRatio = 50;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private long waiting;

    public long Waiting => Interlocked.Read(ref waiting);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                await using var command = dataSource.CreateCommand("SELECT count(*) FROM jobs WHERE state IN ('queued', 'retrying')");
                Interlocked.Exchange(ref waiting, (long)(await command.ExecuteScalarAsync(stoppingToken))!);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCountFailed(exception);
            }

            var took = time.GetElapsedTime(started);
            var pause = CostBoundedPause.After(took, Interval, CostRatio);
            await Task.Delay(pause, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the backlog; admission control uses the last count")]
    private partial void LogCountFailed(Exception exception);
}
