using System.Net.Http.Headers;
using AsyncJobs.IntegrationTests.Topology;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>
/// What every API scenario needs: the running topology, clients with or without credentials, a fresh tenant per
/// test (so tests never see each other's jobs), direct reads of the jobs database, and a deadline.
/// </summary>
public abstract class ApiScenario(LocalTopologyFixture fixture)
{
    /// <summary>Each test finishes well within this; waits are bounded by it rather than by sleeps.</summary>
    protected static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(30);

    // Redirects are not followed, so tests see Location headers and 3xx answers as they are.
    private static readonly SocketsHttpHandler Handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1), AllowAutoRedirect = false };

    protected LocalTopology Topology => fixture.Topology;

    protected JobRows Rows => new(Topology.JobsDbConnectionString);

    protected HttpClient AnonymousApi() => Client(Topology.ApiUrl, credential: null);

    protected HttpClient AnonymousNotifier() => Client(Topology.NotifierUrl, credential: null);

    /// <summary>The API with <c>Authorization: Bearer <paramref name="credential"/></c> (an API key or a job token).</summary>
    protected HttpClient ApiAs(string credential) => Client(Topology.ApiUrl, credential);

    protected HttpClient NotifierAs(string credential) => Client(Topology.NotifierUrl, credential);

    protected async Task<TestTenant> NewTenantAsync(string purpose, CancellationToken cancellationToken, int? submissionsPerMinute = null, int? maxInFlight = null)
    {
        using var admin = AnonymousApi();
        var created = await TenantAdmin.CreateAsync(admin, Topology.AdminKey, TenantAdmin.UniqueName(purpose), submissionsPerMinute, maxInFlight, cancellationToken);
        return new TestTenant(created, ApiAs(created.ApiKey), NotifierAs(created.ApiKey));
    }

    protected static CancellationTokenSource StartDeadline() => StartDeadline(TestDeadline);

    protected static CancellationTokenSource StartDeadline(TimeSpan after)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(after);
        return deadline;
    }

    private static HttpClient Client(Uri baseAddress, string? credential)
    {
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = baseAddress };
        if (credential is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return client;
    }
}
