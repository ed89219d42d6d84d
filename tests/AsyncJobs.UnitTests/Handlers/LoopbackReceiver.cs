using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.UnitTests.Handlers;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port, answering what <c>http.request</c> must classify: JSON, text,
/// a large body, any status, a redirect to another host, and a slow answer. It counts the requests per path.
/// </summary>
public sealed class LoopbackReceiver : IAsyncLifetime
{
    public const int LargeBodyBytes = 100 * 1024;

    private readonly ConcurrentDictionary<string, int> hits = new(StringComparer.Ordinal);
    private WebApplication? app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public int Port => BaseUrl.Port;

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    /// <summary>How many requests reached <paramref name="path"/> (the path only, without the query).</summary>
    public int Hits(string path) => hits.GetValueOrDefault(path);

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Use((context, next) =>
        {
            hits.AddOrUpdate(context.Request.Path.Value ?? "/", 1, (_, count) => count + 1);
            return next(context);
        });
        app.MapGet("/json", () => Results.Json(new { ok = true, items = Enumerable.Range(1, 3) }));
        app.MapGet("/text", () => Results.Text("plain words", "text/plain; charset=utf-8"));
        app.MapGet("/large", () => Results.Text(new string('x', LargeBodyBytes), "application/json"));
        app.MapGet("/empty", () => Results.NoContent());
        app.Map("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return Results.Json(new
            {
                method = request.Method,
                contentType = request.ContentType,
                token = request.Headers["X-Token"].ToString(),
                body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted),
            });
        });
        app.MapGet("/status/{code:int}/{name}", (int code, HttpResponse response) =>
        {
            if (code is 429 or 503)
            {
                response.Headers.RetryAfter = "7";
            }

            return Results.StatusCode(code);
        });
        app.MapGet("/redirect", () => Results.Redirect("http://example.com/elsewhere"));
        app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Ok();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        BaseUrl = new Uri(app.Urls.Single() + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
