using AsyncJobs.Core.Postgres;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Vacuums Hangfire's <c>jobqueue</c> while a backlog drains, every <see cref="FetchesPerVacuum"/> fetches of this
/// process, in the background, and never for more than 1/<see cref="CostRatio"/> of the time.
/// </summary>
/// <remarks>
/// A fetch writes a new version of its row. The old version's entry stays first in the queue's index, and every later
/// fetch walks over all of them until VACUUM removes them. Autovacuum comes at most once a minute
/// (<c>autovacuum_naptime</c>), so in a drain of 5,000 jobs each fetch walked some 2,500 of them and was the costliest
/// statement of a job. VACUUM of this small table takes a few milliseconds and blocks no fetch; with
/// <c>SKIP_LOCKED</c> a second worker process's VACUUM that finds one running does nothing. Behind a deep backlog it is
/// not small: once 2% of the table's pages hold dead rows, VACUUM reads all four of Hangfire's indexes over the
/// whole queue (289 ms a call with 435,000 jobs waiting). Then the next waits until the last one's cost times
/// <see cref="CostRatio"/> − 1 has passed, and the fetches walk a few more dead entries meanwhile.
/// </remarks>
public sealed partial class HangfireQueueVacuum(
    NpgsqlDataSource dataSource, TimeProvider time, ILogger<HangfireQueueVacuum> logger, int fetchesPerVacuum = HangfireQueueVacuum.FetchesPerVacuum)
{
    public const int FetchesPerVacuum = 200;

    public const int CostRatio = 20;

    private int fetches;
    private int running;
    private long lastEnded;
    private long pauseTicks;

    /// <summary>Counts a fetch; starts a VACUUM when the count comes round, unless one is running or the last cost too much.</summary>
    public void Fetched()
    {
        if (Interlocked.Increment(ref fetches) % fetchesPerVacuum != 0
            || time.GetElapsedTime(Interlocked.Read(ref lastEnded)).Ticks < Interlocked.Read(ref pauseTicks)
            || Interlocked.Exchange(ref running, 1) != 0)
        {
            return;
        }

        _ = Task.Run(VacuumAsync);
    }

    private async Task VacuumAsync()
    {
        var started = time.GetTimestamp();
        try
        {
            await using var command = dataSource.CreateCommand($"VACUUM (SKIP_LOCKED) {HangfireSetup.SchemaName}.jobqueue");
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // Only the fetches slow down until the next one, or autovacuum, succeeds.
            LogVacuumFailed(exception);
        }
        finally
        {
            Interlocked.Exchange(ref pauseTicks, CostBoundedPause.After(time.GetElapsedTime(started), TimeSpan.Zero, CostRatio).Ticks);
            Interlocked.Exchange(ref lastEnded, time.GetTimestamp());
            Volatile.Write(ref running, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vacuuming Hangfire's job queue table failed")]
    private partial void LogVacuumFailed(Exception exception);
}
