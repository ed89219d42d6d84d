using System.Net.Http.Json;
using System.Security.Cryptography;
using AsyncJobs.LocalHost;

namespace AsyncJobs.Bench.Topology;

/// <summary>
/// The local topology the benchmark measures (PostgreSQL, Redis, API, worker, notifier as OS processes), with
/// what the scenarios need around it: a tenant each, stopping and adding workers, a process's memory.
/// </summary>
public sealed class BenchTopology : IAsyncDisposable
{
    private const string ExtraWorkerName = "worker-2";

    // A worker that hands jobs over to Hangfire but runs none (Worker:ExecuteJobs=false): the relay alone.
    private const string RelayOnlyWorkerName = "worker-relay";

    private readonly LocalTopology topology;
    private readonly HashSet<string> stoppedWorkers = new(StringComparer.Ordinal);
    private readonly List<int> pausedWorkers = [];
    private bool extraWorkerAdded;

    private BenchTopology(LocalTopology topology, JobsDatabase database)
    {
        this.topology = topology;
        Database = database;
    }

    public Uri ApiUrl => topology.ApiUrl;

    public Uri NotifierUrl => topology.NotifierUrl;

    public string JobsDbConnectionString => topology.JobsDbConnectionString;

    public JobsDatabase Database { get; }

    public BenchHttp Http { get; } = new();

    /// <summary>Worker processes running now, by service name.</summary>
    public IReadOnlyList<string> RunningWorkers =>
        [.. new[] { "worker", ExtraWorkerName }.Where(n => topology.ServiceNames.Contains(n) && topology.ProcessId(n) is not null)];

    public static async Task<BenchTopology> StartAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        // Not LocalTopologyOptions.ForTests: test.sh destroys every .local/test-* folder it finds, which would pull
        // PostgreSQL from under a benchmark running beside a test run. Same settings otherwise.
        var options = new LocalTopologyOptions
        {
            RepositoryRoot = root,
            DataDirectory = Path.Combine(root, ".local", $"bench-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}"),
            Ephemeral = true,
            ApiKey = DevApiKey.Create(),
        };
        // Measured as deployed: the Production environment, so no developer exception page wraps each request and no DI
        // scope validation runs on each resolve; loopback callbacks stay allowed, for the harness's local webhook receiver.
        options.ServiceEnvironment["api"] = Production(("Submission__AllowLoopbackCallbacks", "true"));
        options.ServiceEnvironment["worker"] = Production(("HttpRequestJob__AllowLoopback", "true"));
        options.ServiceEnvironment["notifier"] = Production(("Webhooks__AllowLoopback", "true"));
        options.ServiceEnvironment[RelayOnlyWorkerName] = new(StringComparer.Ordinal) { ["Worker__ExecuteJobs"] = "false" };
        var topology = new LocalTopology(options);
        try
        {
            await topology.StartAsync(cancellationToken);
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }

        return new BenchTopology(topology, new JobsDatabase(topology.JobsDbConnectionString));
    }

    private string AdminKey => topology.AdminKey;

    private static Dictionary<string, string> Production((string Key, string Value) setting) => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        [setting.Key] = setting.Value,
    };

    /// <summary>A tenant of its own per scenario, with a rate limit so high it never shapes a figure.</summary>
    public async Task<TenantApi> CreateTenantAsync(string scenario, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ApiUrl, "/admin/tenants"))
        {
            Content = JsonContent.Create(new { name = $"bench-{scenario}-{Guid.NewGuid():N}"[..40], submissionsPerMinute = 10_000_000 }),
        };
        request.Headers.Add("X-Admin-Key", AdminKey);
        using var response = await Http.Requests.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"POST /admin/tenants answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var created = await response.Content.ReadFromJsonAsync<CreatedTenant>(cancellationToken)
            ?? throw new InvalidOperationException("POST /admin/tenants answered no body.");
        return new TenantApi(Http, ApiUrl, NotifierUrl, created.TenantId, created.ApiKey);
    }

    /// <summary>Stops every running worker (SIGTERM); <see cref="RestartStoppedWorkersAsync"/> brings them back.</summary>
    public async Task StopWorkersAsync()
    {
        foreach (var name in RunningWorkers)
        {
            await topology.StopAsync(name);
            stoppedWorkers.Add(name);
        }
    }

    /// <summary>
    /// Freezes every running worker (SIGSTOP) until <see cref="ResumePausedWorkersAsync"/>: nothing is picked up
    /// meanwhile, and the worker carries on as warm as it was, where a restarted one runs its first jobs through the JIT.
    /// </summary>
    public async Task PauseWorkersAsync(CancellationToken cancellationToken)
    {
        foreach (var name in RunningWorkers)
        {
            var processId = topology.ProcessId(name)!.Value;
            if (!await ProcessSignal.StopAsync(processId, cancellationToken))
            {
                throw new InvalidOperationException($"kill -STOP {processId} ({name}) failed.");
            }

            pausedWorkers.Add(processId);
        }
    }

    public async Task ResumePausedWorkersAsync()
    {
        foreach (var processId in pausedWorkers.ToList())
        {
            if (!await ProcessSignal.ContinueAsync(processId))
            {
                throw new InvalidOperationException($"kill -CONT {processId} failed.");
            }

            pausedWorkers.Remove(processId);
        }
    }

    public async Task RestartStoppedWorkersAsync(CancellationToken cancellationToken)
    {
        foreach (var name in stoppedWorkers.ToList())
        {
            await topology.StartServiceAsync(name, cancellationToken);
            stoppedWorkers.Remove(name);
        }
    }

    /// <summary>A second worker process (started on first use, restarted after <see cref="StopExtraWorkerAsync"/>).</summary>
    public async Task StartExtraWorkerAsync(CancellationToken cancellationToken)
    {
        if (!extraWorkerAdded)
        {
            await topology.AddServiceAsync(ExtraWorkerName, ServiceKind.Worker, cancellationToken);
            extraWorkerAdded = true;
        }
        else if (topology.ProcessId(ExtraWorkerName) is null)
        {
            await topology.StartServiceAsync(ExtraWorkerName, cancellationToken);
        }

        stoppedWorkers.Remove(ExtraWorkerName);
    }

    public async Task StopExtraWorkerAsync()
    {
        if (extraWorkerAdded)
        {
            await topology.StopAsync(ExtraWorkerName);
        }
    }

    /// <summary>Starts a worker process that relays but runs no job; stop it with <see cref="StopRelayOnlyWorkerAsync"/>.</summary>
    public async Task StartRelayOnlyWorkerAsync(CancellationToken cancellationToken)
    {
        if (topology.ServiceNames.Contains(RelayOnlyWorkerName))
        {
            await topology.StartServiceAsync(RelayOnlyWorkerName, cancellationToken);
        }
        else
        {
            await topology.AddServiceAsync(RelayOnlyWorkerName, ServiceKind.Worker, cancellationToken);
        }
    }

    public Task StopRelayOnlyWorkerAsync() => topology.StopAsync(RelayOnlyWorkerName);

    /// <summary>SIGKILL the worker: no shutdown code runs.</summary>
    public void KillWorker() => topology.Kill("worker");

    public Task StartWorkerAsync(CancellationToken cancellationToken) => topology.StartServiceAsync("worker", cancellationToken);

    public async Task EnsureWorkerRunningAsync(CancellationToken cancellationToken)
    {
        if (topology.ProcessId("worker") is null)
        {
            await topology.StartServiceAsync("worker", cancellationToken);
        }
    }

    public int ApiProcessId => topology.ProcessId("api") ?? throw new InvalidOperationException("The API is not running.");

    public int NotifierProcessId => topology.ProcessId("notifier") ?? throw new InvalidOperationException("The notifier is not running.");

    public string OutputTail(string service) => topology.OutputTail(service);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Database.DisposeAsync();
        await ResumePausedWorkersAsync(); // A stopped process would not act on the SIGTERM that ends it.
        await topology.DisposeAsync();
    }

    private sealed record CreatedTenant(Guid TenantId, string ApiKey);
}
