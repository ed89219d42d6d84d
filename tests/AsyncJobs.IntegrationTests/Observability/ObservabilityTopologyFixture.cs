using System.Net.Http.Headers;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Webhooks;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Observability;

/// <summary>
/// A local topology whose three services export traces, metrics and logs over OTLP/HTTP protobuf to a receiver in
/// the test, with export delays of a fraction of a second. The worker runs ONE job at a time, so a hanging job keeps
/// the next one waiting in its queue (the queue gauges' scenario); the notifier delivers webhooks to loopback and logs
/// each delivery.
/// </summary>
public sealed class ObservabilityTopologyFixture : IAsyncLifetime
{
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private LocalTopology? topology;
    private OtlpReceiver? receiver;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public OtlpReceiver Telemetry => receiver ?? throw new InvalidOperationException("The receiver is not started.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        receiver = await OtlpReceiver.StartAsync(cancellationToken);
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        foreach (var service in new[] { "api", "worker", "notifier" })
        {
            options.ServiceEnvironment[service] = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            };
        }

        var worker = options.ServiceEnvironment["worker"];
        worker["Worker__WorkerCount"] = "1";
        worker["Worker__QueueMetricsInterval"] = "00:00:00.200";
        worker["Worker__RetryBaseDelay"] = "00:00:00.050";
        worker["Worker__RetryMaxDelay"] = "00:00:00.100";

        // The API logs each accept at Debug (a hot line at thousands per second): shown here for the correlation test.
        options.ServiceEnvironment["api"]["Logging__LogLevel__AsyncJobs.Api.Jobs"] = "Debug";

        var notifier = options.ServiceEnvironment["notifier"];
        notifier["Webhooks__AllowLoopback"] = "true";
        notifier["Webhooks__SweepInterval"] = "00:00:00.100";
        // Successful deliveries are logged at Debug (a hot line): shown here so the correlation test can find them.
        notifier["Logging__LogLevel__AsyncJobs.Notifier.Webhooks"] = "Debug";

        topology = new LocalTopology(options);
        await topology.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        handler.Dispose();
        if (topology is not null)
        {
            await topology.DisposeAsync();
        }

        if (receiver is not null)
        {
            await receiver.DisposeAsync();
        }
    }

    public HttpClient Client(Uri baseAddress, string? apiKey) => new(handler, disposeHandler: false)
    {
        BaseAddress = baseAddress,
        DefaultRequestHeaders = { Authorization = apiKey is null ? null : new AuthenticationHeaderValue("Bearer", apiKey) },
    };

    /// <summary>A fresh tenant for one test; its <see cref="WebhookTenant.Api"/> is authenticated with the tenant's key.</summary>
    public async Task<(WebhookTenant Tenant, string ApiKey)> NewTenantAsync(CancellationToken cancellationToken)
    {
        using var admin = Client(Topology.ApiUrl, null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/tenants")
        {
            Content = WebhookJson.Body(new { name = $"observability-{Guid.NewGuid():N}" }),
        };
        request.Headers.Add("X-Admin-Key", Topology.AdminKey);
        using var response = await admin.SendAsync(request, cancellationToken);
        var created = await response.ReadAsync<JsonElement>(System.Net.HttpStatusCode.Created, cancellationToken);
        var apiKey = created.GetProperty("apiKey").GetString()!;
        return (new WebhookTenant(Client(Topology.ApiUrl, apiKey)), apiKey);
    }
}
