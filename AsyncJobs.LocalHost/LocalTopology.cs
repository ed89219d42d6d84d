using System.Reflection;

namespace AsyncJobs.LocalHost;

/// <summary>
/// What the Aspire AppHost does, with local processes: PostgreSQL and Redis from <c>scripts/infra.sh</c>, then the
/// API, worker and notifier, each its own OS process with the environment Aspire would inject (ASPIRE-NOTES.md).
/// </summary>
public sealed class LocalTopology(LocalTopologyOptions options) : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(15);

    private static readonly string Configuration =
        typeof(LocalTopology).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private readonly Dictionary<string, ServiceProcess> services = new(StringComparer.Ordinal);
    private LocalInfrastructure? infrastructure;
    private int disposed;

    public string DataDirectory => options.DataDirectory;

    public string ApiKey => options.ApiKey;

    /// <summary>The operator key (<c>Admin__ApiKey</c> on every service): tenant administration, full Hangfire dashboard.</summary>
    public string AdminKey => options.AdminKey;

    public Uri ApiUrl => Service("api").Url;

    public Uri WorkerUrl => Service("worker").Url;

    public Uri NotifierUrl => Service("notifier").Url;

    public string JobsDbConnectionString => Infrastructure.JobsDbConnectionString;

    public string RedisConnectionString => Infrastructure.RedisConnectionString;

    public int PostgresPort => Infrastructure.PostgresPort;

    public int RedisPort => Infrastructure.RedisPort;

    public IReadOnlyCollection<string> ServiceNames => services.Keys;

    private LocalInfrastructure Infrastructure => infrastructure ?? throw new InvalidOperationException("The topology is not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            infrastructure = await LocalInfrastructure.StartAsync(options.RepositoryRoot, DataDirectory, cancellationToken);

            var ports = LoopbackPort.PickFree(3);
            var notifierUrl = $"http://127.0.0.1:{ports[2]}";
            var api = Add("api", ServiceKind.Api, ports[0], new Dictionary<string, string>
            {
                ["services__notifier__http__0"] = notifierUrl,
                ["NOTIFIER_HTTP"] = notifierUrl,
                ["Seed__ApiKey"] = ApiKey,
            });
            var worker = Add("worker", ServiceKind.Worker, ports[1]);
            var notifier = Add("notifier", ServiceKind.Notifier, ports[2]);

            // The API applies the database migrations: the others wait for it, as WaitFor(api) would.
            await api.StartAsync(cancellationToken);
            await Task.WhenAll(worker.StartAsync(cancellationToken), notifier.StartAsync(cancellationToken));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public int? ProcessId(string name) => Service(name).ProcessId;

    public string LogPath(string name) => Service(name).LogPath;

    public string OutputTail(string name) => Service(name).OutputTail();

    /// <summary>SIGKILL the service: no shutdown code runs.</summary>
    public void Kill(string name) => Service(name).Kill();

    /// <summary>SIGTERM the service and wait for it to exit (up to 30 s, then SIGKILL).</summary>
    public Task StopAsync(string name) => Service(name).StopAsync(StopGrace);

    /// <summary>Start a stopped or killed service again, on the same port with the same environment.</summary>
    public Task StartServiceAsync(string name, CancellationToken cancellationToken) => Service(name).StartAsync(cancellationToken);

    /// <summary>Start another replica of the worker or the notifier (e.g. <c>worker-2</c>) on a new port.</summary>
    public async Task<Uri> AddServiceAsync(string name, ServiceKind kind, CancellationToken cancellationToken)
    {
        if (kind == ServiceKind.Api)
        {
            throw new ArgumentException("One API is started with the topology; add workers or notifiers.", nameof(kind));
        }

        var service = Add(name, kind, LoopbackPort.PickFree(1)[0]);
        await service.StartAsync(cancellationToken);
        return service.Url;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await Task.WhenAll(services.Values.Select(s => s.StopAsync(DisposeGrace)));
        foreach (var service in services.Values)
        {
            service.Dispose();
        }

        if (options.Ephemeral)
        {
            await LocalInfrastructure.DestroyAsync(options.RepositoryRoot, DataDirectory);
        }
        else
        {
            await LocalInfrastructure.StopAsync(options.RepositoryRoot, DataDirectory);
        }
    }

    private ServiceProcess Service(string name) =>
        services.TryGetValue(name, out var service) ? service : throw new ArgumentException($"No service named {name}.", nameof(name));

    private ServiceProcess Add(string name, ServiceKind kind, int port, Dictionary<string, string>? extraEnvironment = null)
    {
        if (services.ContainsKey(name))
        {
            throw new ArgumentException($"A service named {name} already exists.", nameof(name));
        }

        var project = $"AsyncJobs.{kind}";
        var projectDirectory = Path.Combine(options.RepositoryRoot, project);
        var assembly = Path.Combine(projectDirectory, "bin", Configuration, "net10.0", $"{project}.dll");

        // Aspire runs a project resource from its project folder, which is then its content root.
        var service = new ServiceProcess(name, port, assembly, projectDirectory, EnvironmentFor(name, kind, port, extraEnvironment), DataDirectory);
        services[name] = service;
        return service;
    }

    private Dictionary<string, string> EnvironmentFor(string name, ServiceKind kind, int port, Dictionary<string, string>? extraEnvironment)
    {
        var serviceName = kind.ToString().ToLowerInvariant();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Guid.NewGuid()}",
            ["Admin__ApiKey"] = AdminKey,
        };
        foreach (var (key, value) in Infrastructure.Values.Where(v => v.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || v.Key.StartsWith("JOBSDB_", StringComparison.Ordinal)))
        {
            environment[key] = value;
        }

        if (options.OtlpEndpoint is not null)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = options.OtlpEndpoint.ToString();
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }

        Apply(extraEnvironment);
        Apply(options.ServiceEnvironment.GetValueOrDefault(serviceName));
        if (name != serviceName)
        {
            Apply(options.ServiceEnvironment.GetValueOrDefault(name));
        }

        return environment;

        void Apply(Dictionary<string, string>? overrides)
        {
            foreach (var (key, value) in overrides ?? [])
            {
                environment[key] = value;
            }
        }
    }
}
