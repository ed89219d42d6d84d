using System.Net.Http.Headers;
using System.Text.Json;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>
/// A local topology for the webhook scenarios, with a retry schedule of sub-second waits (4 attempts in all) and a
/// 100 ms sweep, so a dead letter takes about two seconds instead of a day. Every notifier replica receives these
/// settings (notifier-2 takes the variables of its kind); the other collections keep the defaults.
/// </summary>
public sealed class WebhookTopologyFixture : IAsyncLifetime
{
    public const string SecondNotifier = "notifier-2";

    public static readonly IReadOnlyList<TimeSpan> RetrySchedule =
        [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(500)];

    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1), AllowAutoRedirect = false };
    private LocalTopology? topology;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    /// <summary>Attempts a delivery gets before it is dead-lettered.</summary>
    public static int MaxAttempts => RetrySchedule.Count + 1;

    public async ValueTask InitializeAsync()
    {
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        var notifier = new Dictionary<string, string>
        {
            ["Webhooks__AllowLoopback"] = "true",
            ["Webhooks__SweepInterval"] = "00:00:00.100",
            ["Webhooks__Timeout"] = "00:00:05",
        };
        for (var i = 0; i < RetrySchedule.Count; i++)
        {
            notifier[$"Webhooks__RetrySchedule__{i}"] = RetrySchedule[i].ToString("c");
        }

        options.ServiceEnvironment["notifier"] = notifier;
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

    public HttpClient ApiAs(string? credential) => new(handler, disposeHandler: false)
    {
        BaseAddress = Topology.ApiUrl,
        DefaultRequestHeaders = { Authorization = credential is null ? null : new AuthenticationHeaderValue("Bearer", credential) },
    };

    /// <summary>A fresh tenant for one test, so tests never see each other's endpoints or deliveries.</summary>
    public async Task<WebhookTenant> NewTenantAsync(CancellationToken cancellationToken)
    {
        using var admin = ApiAs(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/tenants")
        {
            Content = WebhookJson.Body(new { name = $"webhooks-{Guid.NewGuid():N}" }),
        };
        request.Headers.Add("X-Admin-Key", Topology.AdminKey);
        using var response = await admin.SendAsync(request, cancellationToken);
        var created = await response.ReadAsync<JsonElement>(System.Net.HttpStatusCode.Created, cancellationToken);
        return new WebhookTenant(ApiAs(created.GetProperty("apiKey").GetString()!));
    }

    /// <summary>Starts notifier-2 (or starts it again); <see cref="StopSecondNotifierAsync"/> leaves one notifier for the other tests.</summary>
    public async Task StartSecondNotifierAsync(CancellationToken cancellationToken)
    {
        if (!Topology.ServiceNames.Contains(SecondNotifier))
        {
            await Topology.AddServiceAsync(SecondNotifier, ServiceKind.Notifier, cancellationToken);
        }
        else if (Topology.ProcessId(SecondNotifier) is null)
        {
            await Topology.StartServiceAsync(SecondNotifier, cancellationToken);
        }
    }

    public async Task StopSecondNotifierAsync()
    {
        if (Topology.ServiceNames.Contains(SecondNotifier) && Topology.ProcessId(SecondNotifier) is not null)
        {
            await Topology.StopAsync(SecondNotifier);
        }
    }
}
