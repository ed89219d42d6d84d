using System.Net.Http.Headers;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Handlers;

/// <summary>
/// A local topology whose worker may call loopback addresses (<c>HttpRequestJob__AllowLoopback</c>), so
/// <c>http.request</c> jobs can reach a receiver started by the test. Every other setting is the default.
/// </summary>
public sealed class HandlerTopologyFixture : IAsyncLifetime
{
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalTopology? topology;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public HttpClient ApiClient() => Client(Topology.ApiUrl);

    public HttpClient NotifierClient() => Client(Topology.NotifierUrl);

    public async ValueTask InitializeAsync()
    {
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        options.ServiceEnvironment["worker"] = new Dictionary<string, string> { ["HttpRequestJob__AllowLoopback"] = "true" };
        topology = new LocalTopology(options);
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
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Topology.ApiKey) },
    };
}
