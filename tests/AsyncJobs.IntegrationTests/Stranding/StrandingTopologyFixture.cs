using System.Net.Http.Headers;
using AsyncJobs.LocalHost;
using StackExchange.Redis;

namespace AsyncJobs.IntegrationTests.Stranding;

/// <summary>
/// A local topology with one worker as deployed (LISTEN/NOTIFY long polling, sliding invisibility), except that a job
/// handed to Hangfire and not started is taken back after <see cref="StartTimeout"/> rather than the default 30 s, so a
/// stranded job shows up within the test's time.
/// </summary>
public sealed class StrandingTopologyFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1), MaxConnectionsPerServer = 32 };
    private LocalTopology? topology;
    private ConnectionMultiplexer? redis;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public IDatabase Redis => (redis ?? throw new InvalidOperationException("The topology is not started.")).GetDatabase();

    public HttpClient ApiClient() => new(handler, disposeHandler: false)
    {
        BaseAddress = Topology.ApiUrl,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Topology.ApiKey) },
    };

    public async ValueTask InitializeAsync()
    {
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        options.ServiceEnvironment["worker"] = new Dictionary<string, string>
        {
            ["Worker__StartTimeout"] = StartTimeout.ToString("c"),
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
}
