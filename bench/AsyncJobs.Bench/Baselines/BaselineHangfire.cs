using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace AsyncJobs.Bench.Baselines;

/// <summary>
/// Plain Hangfire, as a team would use it instead of AsyncJobs: Hangfire.PostgreSql with its DEFAULT options
/// (15 s queue polling, no long polling, 30 min invisibility) in its own schema of the same database.
/// </summary>
public sealed class BaselineHangfire
{
    public const string Schema = "bench_hangfire";

    /// <summary>Queues no server reads: the accept and enqueue baselines must not leave work for the drain.</summary>
    public const string UnservedQueue = "bench_unserved";

    private static readonly Lock ConfigurationGate = new();
    private static PostgreSqlStorage? configuredStorage;

    private BaselineHangfire(PostgreSqlStorage storage, NpgsqlDataSource dataSource)
    {
        Storage = storage;
        Client = new BackgroundJobClient(storage);
        DataSource = dataSource;
    }

    public PostgreSqlStorage Storage { get; }

    public IBackgroundJobClient Client { get; }

    private NpgsqlDataSource DataSource { get; }

    /// <summary>Creates the schema on first use (PrepareSchemaIfNecessary, a default) and the client.</summary>
    public static BaselineHangfire Create(string connectionString, NpgsqlDataSource dataSource) =>
        new(ConfigureStorage(connectionString), dataSource);

    /// <summary>Hangfire's configuration is process-wide: the harness and the child server set it up the same way.</summary>
    public static PostgreSqlStorage ConfigureStorage(string connectionString)
    {
        lock (ConfigurationGate)
        {
            return configuredStorage ??= GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(c => c.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions { SchemaName = Schema })
                .Entry;
        }
    }

    public long EnqueueNothing(string queue = "default") => long.Parse(Client.Enqueue(queue, () => BaselineJobs.Nothing()), System.Globalization.CultureInfo.InvariantCulture);

    public void EnqueuePickupProbe(Guid probeId) => Client.Enqueue(() => BaselineJobs.RecordPickup(probeId));

    /// <summary>How many of these jobs Hangfire has finished.</summary>
    public async Task<int> CountSucceededAsync(long[] jobIds, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"SELECT count(*) FROM {Schema}.job WHERE id = ANY(@ids) AND statename = 'Succeeded'");
        command.Parameters.AddWithValue("ids", jobIds);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>First Processing → last Succeeded of these jobs, from Hangfire's own state history (one writer's clock).</summary>
    public async Task<TimeSpan?> ExecutionWindowAsync(long[] jobIds, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand($"""
            SELECT extract(epoch FROM max(createdat) FILTER (WHERE name = 'Succeeded') - min(createdat) FILTER (WHERE name = 'Processing'))
            FROM {Schema}.state WHERE jobid = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", jobIds);
        return await command.ExecuteScalarAsync(cancellationToken) is decimal seconds ? TimeSpan.FromSeconds((double)seconds) : null;
    }

    public async Task WaitForServerAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var command = DataSource.CreateCommand($"SELECT count(*) FROM {Schema}.server");
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                return;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"The baseline Hangfire server did not register within {deadline.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
