using System.Net.Http.Headers;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Topology;

/// <summary>One ephemeral local topology (PostgreSQL, Redis, API, worker, notifier as OS processes) per test collection.</summary>
public sealed class LocalTopologyFixture : ITopology, IAsyncLifetime
{
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalTopology? topology;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public string ApiKey => Topology.ApiKey;

    public Uri ApiUrl => Topology.ApiUrl;

    public Uri NotifierUrl => Topology.NotifierUrl;

    public HttpClient ApiClient() => Client(ApiUrl);

    public HttpClient NotifierClient() => Client(NotifierUrl);

    public async ValueTask InitializeAsync()
    {
        topology = new LocalTopology(LocalTopologyOptions.ForTests(RepositoryRoot.Find()));
        await topology.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        handler.Dispose();
        if (topology is not null)
        {
            await topology.DisposeAsync();
        }
    }

    private HttpClient Client(Uri baseAddress) => new(handler, disposeHandler: false)
    {
        BaseAddress = baseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiKey) },
    };
}
