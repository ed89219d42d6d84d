using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Reporting;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench;

/// <summary>What every scenario works with: the topology under test, the baselines beside it, the profile and the console.</summary>
public sealed class BenchContext(BenchProfile profile, BenchTopology topology, BenchConsole console) : IAsyncDisposable
{
    private BaselineHangfire? hangfire;
    private BaselineProcess? hangfireServer;

    public BenchProfile Profile { get; } = profile;

    public BenchTopology Topology { get; } = topology;

    public BenchConsole Console { get; } = console;

    public JobsDatabase Database => Topology.Database;

    public BaselineDatabase Baseline { get; } = new(topology.Database.DataSource);

    /// <summary>Plain Hangfire's client side (default options, schema <c>bench_hangfire</c>), created on first use.</summary>
    public BaselineHangfire Hangfire => hangfire ??= BaselineHangfire.Create(Topology.JobsDbConnectionString, Database.DataSource);

    /// <summary>Plain Hangfire's server, in a child process, started on first use and kept for the rest of the run.</summary>
    public async Task<BaselineHangfire> StartHangfireServerAsync(CancellationToken cancellationToken)
    {
        var client = Hangfire;
        if (hangfireServer is null)
        {
            hangfireServer = await BaselineProcess.StartAsync(HangfireServerChild.Command, HangfireServerChild.ReadyLine, new Dictionary<string, string>
            {
                [HangfireServerChild.ConnectionVariable] = Topology.JobsDbConnectionString,
                [HangfireServerChild.WorkersVariable] = Profile.HangfireWorkerCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
            await client.WaitForServerAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (hangfireServer is not null)
        {
            await hangfireServer.DisposeAsync();
        }
    }
}
