using System.Globalization;
using Hangfire;
using Npgsql;

namespace AsyncJobs.Bench.Baselines;

/// <summary>
/// The plain Hangfire server of the baselines, in a process of its own (<c>AsyncJobs.Bench hangfire-server</c>):
/// in the harness's process, an enqueue would wake its workers in memory and pickup would look instant (TOOLCHAIN.md).
/// Runs until its standard input closes, so it never outlives the harness that started it.
/// </summary>
public static class HangfireServerChild
{
    public const string Command = "hangfire-server";
    public const string ConnectionVariable = "BENCH_HANGFIRE_DB";
    public const string WorkersVariable = "BENCH_HANGFIRE_WORKERS";
    public const string ReadyLine = "hangfire-server ready";

    public static async Task<int> RunAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ConnectionVariable} is not set.");
        var workers = int.Parse(Environment.GetEnvironmentVariable(WorkersVariable) ?? "20", CultureInfo.InvariantCulture);

        await using var pickupLog = NpgsqlDataSource.Create(connectionString);
        BaselineJobs.PickupLog = pickupLog;
        var storage = BaselineHangfire.ConfigureStorage(connectionString);
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, ServerName = $"bench-baseline:{Environment.ProcessId}" }, storage))
        {
            Console.WriteLine(ReadyLine);
            while (await Console.In.ReadLineAsync() is not null)
            {
            }
        }

        return 0;
    }
}
