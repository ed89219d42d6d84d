using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.AspireTests;

/// <summary>
/// Starts the whole AppHost (PostgreSQL, Redis, API, worker, notifier) once per test collection and exposes it
/// to the shared scenarios as an <see cref="ITopology"/>. PostgreSQL and Redis are the AppHost's containers
/// where a container runtime answers; elsewhere <see cref="LocalServers"/> starts them as local processes and
/// the AppHost points at them (<c>AsyncJobs:ExistingServers</c>), while DCP still runs the three projects.
/// </summary>
public sealed class AspireTopologyFixture : ITopology, IAsyncLifetime
{
    // First runs pull the postgres, redis and pgadmin images; a loaded machine starts three services slowly.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] Services = ["api", "worker", "notifier"];

    private LocalServers? localServers;
    private DistributedApplication? app;

    public string ApiKey { get; } = "ajk_dev_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    public string AdminKey { get; } = "ajadmin_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    public Uri ApiUrl { get; private set; } = null!;

    public Uri NotifierUrl { get; private set; } = null!;

    public HttpClient ApiClient() => Client("api");

    public HttpClient NotifierClient() => Client("notifier");

    public async ValueTask InitializeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);

        try
        {
            string[] args = [];
            if (!await LocalServers.ContainerRuntimeAnswersAsync(timeout.Token))
            {
                localServers = await LocalServers.StartAsync(timeout.Token);
                // Read while the AppHost builds its model, so command-line arguments rather than Configuration[...] later.
                args =
                [
                    "--AsyncJobs:ExistingServers=true",
                    $"--ConnectionStrings:jobsdb={localServers.JobsDbConnectionString}",
                    $"--ConnectionStrings:redis={localServers.RedisConnectionString}",
                ];
            }

            var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AsyncJobs_AppHost>(args, timeout.Token);

            appHost.Configuration["Parameters:dev-api-key"] = ApiKey;
            appHost.Configuration["Parameters:admin-api-key"] = AdminKey;

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
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            var started = app;
            app = null;
            try
            {
                await started.StopAsync();
            }
            finally
            {
                await started.DisposeAsync();
            }
        }

        if (localServers is not null)
        {
            var servers = localServers;
            localServers = null;
            await servers.DestroyAsync();
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
