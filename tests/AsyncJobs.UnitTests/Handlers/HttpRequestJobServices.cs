using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Handlers.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncJobs.UnitTests.Handlers;

/// <summary>The job handlers as <c>AddJobHandlers</c> registers them, with the <c>HttpRequestJob</c> section given.</summary>
public sealed class HttpRequestJobServices : IDisposable
{
    private readonly ServiceProvider provider;

    public HttpRequestJobServices(bool allowLoopback = false, bool allowPrivateNetworks = false)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HttpRequestJob:AllowLoopback"] = allowLoopback.ToString(),
                ["HttpRequestJob:AllowPrivateNetworks"] = allowPrivateNetworks.ToString(),
            })
            .Build();
        provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddJobHandlers()
            .BuildServiceProvider();
    }

    public HttpRequestHandler Handler => Registered(provider);

    public void Dispose() => provider.Dispose();

    public static HttpRequestHandler Registered(IServiceProvider services) =>
        services.GetRequiredService<JobHandlerRegistry>().TryGet(HttpRequestHandler.TypeName, out var handler)
            ? (HttpRequestHandler)handler
            : throw new InvalidOperationException("AddJobHandlers registered no http.request handler.");
}
