using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.AspireTests;

/// <summary>
/// Starts the whole AppHost (PostgreSQL and Redis containers, API, worker, notifier) once per test
/// collection and exposes it to the shared scenarios as an <see cref="ITopology"/>.
/// </summary>
public sealed class AspireTopologyFixture : ITopology, IAsyncLifetime
{
    // First runs pull the postgres, redis and pgadmin images.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] Services = ["api", "worker", "notifier"];

    private DistributedApplication? app;

    public string ApiKey { get; } = "ajk_dev_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    public Uri ApiUrl { get; private set; } = null!;

    public Uri NotifierUrl { get; private set; } = null!;

    public HttpClient ApiClient() => Client("api");

    public HttpClient NotifierClient() => Client("notifier");

    public async ValueTask InitializeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);

        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AsyncJobs_AppHost>(timeout.Token);

        appHost.Configuration["Parameters:dev-api-key"] = ApiKey;

        // A fresh database and Redis per run: the data volumes would keep earlier runs' jobs and the
        // password they were initialised with, which a new run's generated password would not match.
        foreach (var container in appHost.Resources.OfType<ContainerResource>())
        {
            foreach (var volume in container.Annotations.OfType<ContainerMountAnnotation>().ToList())
            {
                container.Annotations.Remove(volume);
            }
        }

        app = await appHost.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);

        foreach (var service in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        ApiUrl = app.GetEndpoint("api", "http");
        NotifierUrl = app.GetEndpoint("notifier", "http");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private HttpClient Client(string resource)
    {
        var started = app ?? throw new InvalidOperationException("The Aspire topology has not started.");
        // No resilience handler on the test clients, unlike the services' defaults: a retried request
        // would hide a failure the scenarios are there to see, and its total timeout would cut SSE streams.
        var client = started.CreateHttpClient(resource, "http");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }
}
