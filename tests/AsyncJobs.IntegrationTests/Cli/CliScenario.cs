using System.Text.RegularExpressions;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Cli;

/// <summary>
/// A CLI scenario: the shared topology, a fresh tenant per test, and the <c>asyncjobs</c> process pointed at the API
/// through the environment, as a user would (<c>ASYNCJOBS_API_URL</c>, <c>ASYNCJOBS_API_KEY</c>).
/// </summary>
public abstract partial class CliScenario(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    /// <summary>Several CLI processes per test, each a second or so of start-up on a busy machine.</summary>
    protected static readonly TimeSpan CliDeadline = TimeSpan.FromSeconds(120);

    protected IReadOnlyDictionary<string, string?> EnvironmentOf(TestTenant tenant) => new Dictionary<string, string?>
    {
        ["ASYNCJOBS_API_URL"] = Topology.ApiUrl.AbsoluteUri,
        ["ASYNCJOBS_API_KEY"] = tenant.ApiKey,
    };

    protected async Task<CliRun> RunAsync(TestTenant tenant, CancellationToken cancellationToken, params string[] arguments) =>
        await RunAsync(EnvironmentOf(tenant), cancellationToken, arguments);

    protected static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken, params string[] arguments)
    {
        await using var cli = CliProcess.Start(environment, arguments);
        return await cli.WaitForExitAsync(cancellationToken);
    }

    /// <summary>The job id from the line <c>Submitted job ID (TYPE)...</c>.</summary>
    protected static Guid SubmittedJobId(string line)
    {
        var match = SubmittedLine().Match(line);
        match.Success.ShouldBeTrue($"not a 'Submitted job ID' line: {line}");
        return Guid.Parse(match.Groups["id"].Value);
    }

    protected static Guid SubmittedJobId(CliRun run) =>
        SubmittedJobId(run.Lines.FirstOrDefault(l => l.StartsWith("Submitted job ", StringComparison.Ordinal)) ?? throw new ShouldAssertException($"no 'Submitted job' line:\n{run}"));

    [GeneratedRegex(@"^Submitted job (?<id>[0-9a-f-]{36}) ")]
    private static partial Regex SubmittedLine();
}
