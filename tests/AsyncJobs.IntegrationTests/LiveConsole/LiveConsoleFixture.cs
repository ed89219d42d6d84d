using System.Net.Http.Headers;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.LocalHost;
using Microsoft.Playwright;

namespace AsyncJobs.IntegrationTests.LiveConsole;

/// <summary>
/// A topology of its own for the console and its stream tickets (tickets live 5 s here, so a test can watch one
/// expire), and one headless Debian Chromium driven by Playwright. Each test gets its own tenant and browser context.
/// </summary>
public sealed class LiveConsoleFixture : IAsyncLifetime
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromSeconds(5);

    // Debian's Chromium: Playwright's own browser download is never used (it cannot run offline).
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1), AllowAutoRedirect = false };
    private LocalTopology? topology;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public LocalTopology Topology => topology ?? throw new InvalidOperationException("The topology is not started.");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser is not started.");

    public async ValueTask InitializeAsync()
    {
        var options = LocalTopologyOptions.ForTests(RepositoryRoot.Find());
        options.ServiceEnvironment["api"] = new(StringComparer.Ordinal) { ["StreamTickets__Lifetime"] = TicketLifetime.ToString() };
        topology = new LocalTopology(options);
        await topology.StartAsync(TestContext.Current.CancellationToken);

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        handler.Dispose();
        if (topology is not null)
        {
            await topology.DisposeAsync();
        }
    }

    /// <summary>A client for <paramref name="baseAddress"/> with <c>Authorization: Bearer <paramref name="credential"/></c>, or none.</summary>
    public HttpClient Client(Uri baseAddress, string? credential = null)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (credential is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return client;
    }

    public async Task<TestTenant> NewTenantAsync(string purpose, CancellationToken cancellationToken)
    {
        using var admin = Client(Topology.ApiUrl);
        var created = await TenantAdmin.CreateAsync(admin, Topology.AdminKey, TenantAdmin.UniqueName(purpose), submissionsPerMinute: null, maxInFlight: null, cancellationToken);
        return new TestTenant(created, Client(Topology.ApiUrl, created.ApiKey), Client(Topology.NotifierUrl, created.ApiKey));
    }

    /// <summary>A fresh browser context (its own sessionStorage) on the console of this topology.</summary>
    public async Task<ConsolePage> OpenConsoleAsync(CancellationToken cancellationToken)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Topology.ApiUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        return await ConsolePage.OpenAsync(context, cancellationToken);
    }
}
