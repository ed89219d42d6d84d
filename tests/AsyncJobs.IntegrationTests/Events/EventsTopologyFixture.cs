using System.Net.Http.Headers;
using System.Net.Http.Json;
using AsyncJobs.IntegrationTests.Scenarios;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>
/// A topology of its own for the event-stream scenarios, which restart the notifier and Redis; heartbeats every
/// second so a test can see one.
/// </summary>
public sealed class EventsTopologyFixture : IAsyncLifetime
{
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalTopology? topology;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public HttpClient ApiClient() => Client(Topology.ApiUrl);

    public HttpClient Client(Uri baseAddress, string? bearer = null) => new(handler, disposeHandler: false)
    {
        BaseAddress = baseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? Topology.ApiKey) },
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async ValueTask InitializeAsync()
    {
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        options.ServiceEnvironment["notifier"] = new(StringComparer.Ordinal) { ["Streams__HeartbeatInterval"] = "00:00:01" };
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

    public async Task<JobAccepted> SubmitAsync(object payload, CancellationToken cancellationToken, int timeoutSeconds = 60)
    {
        using var api = ApiClient();
        using var response = await api.PostAsJsonAsync("/jobs", new { type = "demo.simulate", payload, timeoutSeconds }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JobAccepted>(cancellationToken)).ShouldNotBeNull();
    }
}
