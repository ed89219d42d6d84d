using System.Net.Http.Headers;
using AsyncJobs.LocalHost;
using StackExchange.Redis;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>
/// A local topology for the execution guarantees, with settings that keep the scenarios short: sub-second retry
/// backoff and a 4 s shutdown grace period. Leases and the rescuer keep their defaults, so the crash-recovery
/// scenarios measure the recovery time a deployment would see.
/// </summary>
public sealed class ExecutionTopologyFixture : IAsyncLifetime
{
    public const string SecondWorker = "worker-2";

    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan ShutdownGracePeriod = TimeSpan.FromSeconds(4);

    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalTopology? topology;
    private ConnectionMultiplexer? redis;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public IDatabase Redis => (redis ?? throw new InvalidOperationException("The topology is not started.")).GetDatabase();

    public HttpClient ApiClient() => Client(Topology.ApiUrl, new AuthenticationHeaderValue("Bearer", Topology.ApiKey));

    public HttpClient NotifierClient() => Client(Topology.NotifierUrl, new AuthenticationHeaderValue("Bearer", Topology.ApiKey));

    /// <summary>The first worker's HTTP endpoint (the Hangfire dashboard), with no credentials.</summary>
    public HttpClient WorkerClient() => Client(Topology.WorkerUrl, authorization: null);

    public async ValueTask InitializeAsync()
    {
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        // Applies to every worker replica (worker-2 receives the variables of its kind).
        options.ServiceEnvironment["worker"] = new Dictionary<string, string>
        {
            ["Worker__RetryBaseDelay"] = RetryBaseDelay.ToString("c"),
            ["Worker__ShutdownGracePeriod"] = ShutdownGracePeriod.ToString("c"),
        };
        topology = new LocalTopology(options);
        await topology.StartAsync(TestContext.Current.CancellationToken);
        redis = await ConnectionMultiplexer.ConnectAsync(topology.RedisConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        handler.Dispose();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (topology is not null)
        {
            await topology.DisposeAsync();
        }
    }

    /// <summary>Exactly the first worker runs jobs: worker-2 (if a scenario added it) is stopped, the first one is running.</summary>
    public async Task OnlyFirstWorkerAsync(CancellationToken cancellationToken)
    {
        if (Topology.ServiceNames.Contains(SecondWorker))
        {
            await Topology.StopAsync(SecondWorker);
        }

        await EnsureRunningAsync("worker", cancellationToken);
    }

    /// <summary>Both workers run jobs, each its own process.</summary>
    public async Task TwoWorkersAsync(CancellationToken cancellationToken)
    {
        await EnsureRunningAsync("worker", cancellationToken);
        if (!Topology.ServiceNames.Contains(SecondWorker))
        {
            await Topology.AddServiceAsync(SecondWorker, ServiceKind.Worker, cancellationToken);
            return;
        }

        await EnsureRunningAsync(SecondWorker, cancellationToken);
    }

    public async Task EnsureRunningAsync(string service, CancellationToken cancellationToken)
    {
        if (Topology.ProcessId(service) is null)
        {
            await Topology.StartServiceAsync(service, cancellationToken);
        }
    }

    private HttpClient Client(Uri baseAddress, AuthenticationHeaderValue? authorization) => new(handler, disposeHandler: false)
    {
        BaseAddress = baseAddress,
        DefaultRequestHeaders = { Authorization = authorization },
    };
}
