using System.Diagnostics;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Topology;

/// <summary>Runs <c>scripts/infra.sh</c> against a topology's data (e.g. <c>redis-stop</c>, <c>redis-start</c>) for failure scenarios.</summary>
public static class InfraScript
{
    public static async Task RunAsync(string command, LocalTopology topology, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(RepositoryRoot.Find(), "scripts", "infra.sh"), [command, topology.DataDirectory])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        await process.WaitForExitAsync(cancellationToken);
        process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync(cancellationToken));
    }
}
