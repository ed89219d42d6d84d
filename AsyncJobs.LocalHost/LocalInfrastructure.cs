using System.Diagnostics;
using System.Globalization;

namespace AsyncJobs.LocalHost;

/// <summary>PostgreSQL and Redis as local processes, started and stopped by <c>scripts/infra.sh</c>.</summary>
internal sealed class LocalInfrastructure
{
    private LocalInfrastructure(IReadOnlyDictionary<string, string> values) => Values = values;

    /// <summary>The KEY=VALUE lines printed by <c>infra.sh start</c> (connection strings, ports, data folders).</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    public string JobsDbConnectionString => Values["ConnectionStrings__jobsdb"];

    public string RedisConnectionString => Values["ConnectionStrings__redis"];

    public int PostgresPort => int.Parse(Values["JOBSDB_PORT"], CultureInfo.InvariantCulture);

    public int RedisPort => int.Parse(Values["REDIS_PORT"], CultureInfo.InvariantCulture);

    public static async Task<LocalInfrastructure> StartAsync(string repositoryRoot, string dataDirectory, CancellationToken cancellationToken)
    {
        // Not cancelled midway: a half-finished start would leave servers that nobody stops.
        cancellationToken.ThrowIfCancellationRequested();
        var output = await RunAsync(repositoryRoot, "start", dataDirectory);
        var values = ParseKeyValues(output);
        foreach (var required in new[] { "ConnectionStrings__jobsdb", "ConnectionStrings__redis", "JOBSDB_PORT", "REDIS_PORT" })
        {
            if (!values.ContainsKey(required))
            {
                throw new InvalidOperationException($"scripts/infra.sh start printed no {required}:\n{output}");
            }
        }

        return new LocalInfrastructure(values);
    }

    /// <summary>Stops whatever <c>start</c> got to start, even when it failed halfway.</summary>
    public static Task StopAsync(string repositoryRoot, string dataDirectory) => RunAsync(repositoryRoot, "stop", dataDirectory);

    /// <summary>Stops everything, then deletes the data folder and PostgreSQL's data.</summary>
    public static Task DestroyAsync(string repositoryRoot, string dataDirectory) => RunAsync(repositoryRoot, "destroy", dataDirectory);

    internal static Dictionary<string, string> ParseKeyValues(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0)
            {
                values[line[..separator]] = line[(separator + 1)..];
            }
        }

        return values;
    }

    private static async Task<string> RunAsync(string repositoryRoot, string command, string dataDirectory)
    {
        var script = Path.Combine(repositoryRoot, "scripts", "infra.sh");
        var startInfo = new ProcessStartInfo("bash")
        {
            ArgumentList = { script, command, dataDirectory },
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (output, errors) = (await stdout, await stderr);

        if (Directory.Exists(dataDirectory))
        {
            var logs = Directory.CreateDirectory(Path.Combine(dataDirectory, "logs"));
            await File.AppendAllTextAsync(Path.Combine(logs.FullName, "infra.log"), errors);
        }

        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"scripts/infra.sh {command} {dataDirectory} exited with {process.ExitCode}:\n{errors}");
    }
}
