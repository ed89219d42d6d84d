using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncJobs.IntegrationTests.Handlers;

/// <summary>
/// A third-party endpoint on 127.0.0.1 for <c>http.request</c> jobs: <c>/status/{code}/{name}</c> answers
/// <c>code</c> every time (200 with a small JSON body), and requests are counted per path.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> hits = new(StringComparer.Ordinal);
    private readonly HttpListener listener;
    private readonly Task serving;

    public LoopbackReceiver()
    {
        listener = StartOnFreePort(out var port);
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        serving = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public string StatusUrl(int status, string name) => new Uri(BaseUrl, $"/status/{status}/{name}").ToString();

    public int Hits(int status, string name) => hits.GetValueOrDefault($"/status/{status}/{name}");

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "/";
        hits.AddOrUpdate(path, 1, (_, count) => count + 1);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        using var response = context.Response;
        if (segments is not ["status", var code, var name] || !int.TryParse(code, CultureInfo.InvariantCulture, out var status))
        {
            response.StatusCode = 400;
            return;
        }

        response.StatusCode = status;
        if (status == 200)
        {
            var body = Encoding.UTF8.GetBytes($$"""{"ok":true,"name":"{{name}}"}""");
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
        }
    }

    // HttpListener cannot listen on port 0: take a port the kernel hands out, and try again if it is taken meanwhile.
    private static HttpListener StartOnFreePort(out int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var listener = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
