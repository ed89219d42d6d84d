using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace AsyncJobs.AspireTests;

/// <summary>
/// PostgreSQL and Redis as local processes (<c>scripts/infra.sh</c>), for machines without a container runtime.
/// Their data lives under <c>.local/test-aspire-*</c>, which test.sh sweeps when a crashed run leaves it behind.
/// </summary>
internal sealed class LocalServers
{
    private static readonly TimeSpan RuntimeProbeTimeout = TimeSpan.FromSeconds(20);

    // The AppHost project folder sits in the repository root.
    private static readonly string RepositoryRoot = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Projects.AsyncJobs_AppHost.ProjectPath))!;

    private readonly string dataDirectory;

    private LocalServers(string dataDirectory, string jobsDb, string redis)
    {
        this.dataDirectory = dataDirectory;
        JobsDbConnectionString = jobsDb;
        RedisConnectionString = redis;
    }

    public string JobsDbConnectionString { get; }

    public string RedisConnectionString { get; }

    /// <summary>Whether the runtime Aspire would use for containers (<c>ASPIRE_CONTAINER_RUNTIME</c>, docker by default) answers.</summary>
    public static async Task<bool> ContainerRuntimeAnswersAsync(CancellationToken cancellationToken)
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RuntimeProbeTimeout);
        try
        {
            var (exitCode, _, _) = await RunAsync(runtime, ["info"], timeout.Token);
            return exitCode == 0;
        }
        catch (Exception e) when (e is Win32Exception || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false; // not installed, or no daemon behind it
        }
    }

    public static async Task<LocalServers> StartAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(RepositoryRoot, ".local", $"test-aspire-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        // Not cancelled midway: a half-finished start would leave servers that nobody stops.
        cancellationToken.ThrowIfCancellationRequested();
        var (exitCode, output, errors) = await RunAsync("bash", [Script, "start", dataDirectory], CancellationToken.None);
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (exitCode != 0 || !values.TryGetValue("ConnectionStrings__jobsdb", out var jobsDb) || !values.TryGetValue("ConnectionStrings__redis", out var redis))
        {
            await RunAsync("bash", [Script, "destroy", dataDirectory], CancellationToken.None);
            throw new InvalidOperationException($"scripts/infra.sh start {dataDirectory} exited with {exitCode}:\n{errors}{output}");
        }

        return new LocalServers(dataDirectory, jobsDb, redis);
    }

    /// <summary>Stops both servers and deletes their data.</summary>
    public async Task DestroyAsync()
    {
        var (exitCode, output, errors) = await RunAsync("bash", [Script, "destroy", dataDirectory], CancellationToken.None);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/infra.sh destroy {dataDirectory} exited with {exitCode}:\n{errors}{output}");
        }
    }

    private static string Script => Path.Combine(RepositoryRoot, "scripts", "infra.sh");

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }
}
