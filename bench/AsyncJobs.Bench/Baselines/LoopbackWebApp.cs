using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.Bench.Baselines;

/// <summary>A baseline endpoint on Kestrel at 127.0.0.1 on a free port, in the harness's process.</summary>
public sealed class LoopbackWebApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackWebApp(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public Uri JobsUrl => new(Url, "/jobs");

    public static async Task<LoopbackWebApp> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        // The default content root is the working directory, the repository root, and its configuration watcher then
        // follows every file under it: PostgreSQL's data in .local kept one watcher thread busy (3% of the machine).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackWebApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
