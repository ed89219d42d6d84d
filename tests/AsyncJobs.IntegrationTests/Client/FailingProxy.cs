using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// A real HTTP forwarder (Kestrel on a loopback port) between a client and the API. Every request is forwarded to the
/// API and its answer awaited; then <see cref="Fault"/> may throw that answer away, by cutting the connection or by
/// answering 500 instead, as a flaky proxy or network does after the server has already acted.
/// </summary>
public sealed class FailingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection", "Content-Length",
    };

    private readonly HttpClient upstream;
    private readonly ConcurrentQueue<ForwardedRequest> forwarded = new();
    private WebApplication? app;

    private FailingProxy(Uri target) => upstream = new HttpClient { BaseAddress = target };

    public enum ProxyFault
    {
        None,
        DropConnectionAfterForwarding,
        ServerErrorAfterForwarding,
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Decides the fault for a request, given how many requests came before it.</summary>
    public Func<int, HttpRequest, ProxyFault> Fault { get; set; } = (_, _) => ProxyFault.None;

    public IReadOnlyList<ForwardedRequest> Forwarded => [.. forwarded];

    public static async Task<FailingProxy> StartAsync(Uri target, CancellationToken cancellationToken)
    {
        var proxy = new FailingProxy(target);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        proxy.app = builder.Build();
        proxy.app.Run(proxy.ForwardAsync);
        await proxy.app.StartAsync(cancellationToken);
        proxy.Url = new Uri(proxy.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
            await app.DisposeAsync();
        }

        upstream.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var fault = Fault(forwarded.Count, context.Request);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await upstream.SendAsync(request, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        forwarded.Enqueue(new ForwardedRequest(
            context.Request.Method,
            context.Request.Path,
            context.Request.Headers["Idempotency-Key"].ToString(),
            (int)response.StatusCode,
            System.Text.Encoding.UTF8.GetString(answer),
            fault));

        switch (fault)
        {
            case ProxyFault.DropConnectionAfterForwarding:
                context.Abort();
                return;
            case ProxyFault.ServerErrorAfterForwarding:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync("proxy failing on purpose", context.RequestAborted);
                return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    /// <summary>One request as it went through: the API's answer, and what the proxy did to it.</summary>
    public sealed record ForwardedRequest(string Method, string Path, string IdempotencyKey, int UpstreamStatus, string UpstreamBody, ProxyFault Fault);
}
