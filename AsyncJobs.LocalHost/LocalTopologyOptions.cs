using System.Security.Cryptography;

namespace AsyncJobs.LocalHost;

public sealed class LocalTopologyOptions
{
    public required string RepositoryRoot { get; init; }

    /// <summary>PostgreSQL and Redis data, service logs (<c>logs/NAME.log</c>) and, for run.sh, the dev API key.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Remove <see cref="DataDirectory"/> on dispose (tests).</summary>
    public bool Ephemeral { get; init; }

    /// <summary>The API seeds a development tenant with this key at start-up.</summary>
    public required string ApiKey { get; init; }

    /// <summary>The operator key every service receives as <c>Admin__ApiKey</c>; a fresh random one per topology by default.</summary>
    public string AdminKey { get; init; } = DevApiKey.CreateAdmin();

    /// <summary>Set <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> on every service; unset (no exporter) by default, as no collector runs.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Extra variables per service name (<c>api</c>, <c>worker</c>, <c>notifier</c>, <c>worker-2</c>...), applied last.
    /// A replica also receives those of its kind (<c>worker</c> for <c>worker-2</c>).</summary>
    public Dictionary<string, Dictionary<string, string>> ServiceEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>run.sh: a persistent data folder whose API key stays the same across runs.</summary>
    public static LocalTopologyOptions ForRun(string repositoryRoot)
    {
        var dataDirectory = Path.Combine(repositoryRoot, ".local", "run");
        return new LocalTopologyOptions
        {
            RepositoryRoot = repositoryRoot,
            DataDirectory = dataDirectory,
            ApiKey = DevApiKey.LoadOrCreate(Path.Combine(dataDirectory, "dev-api-key")),
        };
    }

    /// <summary>Tests: a fresh data folder under <c>.local/test-*</c> (test.sh sweeps what a crashed run leaves) and a fresh key.</summary>
    public static LocalTopologyOptions ForTests(string repositoryRoot) => new()
    {
        RepositoryRoot = repositoryRoot,
        DataDirectory = Path.Combine(repositoryRoot, ".local", $"test-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}"),
        // ASYNCJOBS_KEEP_TEST_DATA=1 keeps the data folder, with every service's log, for a post-mortem.
        Ephemeral = Environment.GetEnvironmentVariable("ASYNCJOBS_KEEP_TEST_DATA") != "1",
        ApiKey = DevApiKey.Create(),
    };
}
