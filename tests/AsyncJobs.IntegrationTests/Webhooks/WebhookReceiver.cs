using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>
/// A real webhook receiver: Kestrel on a loopback port inside the test, recording every request exactly as it came
/// and answering what <see cref="Answer"/> decides (200 by default). It can be stopped (the port refuses connections,
/// as a receiver that is down) and started again on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private readonly Channel<bool> arrivals = Channel.CreateUnbounded<bool>();
    private WebApplication? app;

    private WebhookReceiver()
    {
    }

    public int Port { get; private set; }

    /// <summary>Decides the status code for a request, given how many requests with its webhook-id came before it.</summary>
    public Func<ReceivedWebhook, int, int> Answer { get; set; } = (_, _) => StatusCodes.Status200OK;

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var receiver = new WebhookReceiver();
        await receiver.ListenAsync(0, cancellationToken);
        return receiver;
    }

    /// <summary>Starts again on the same port after <see cref="StopAsync"/>.</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => ListenAsync(Port, cancellationToken);

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
            await app.DisposeAsync();
            app = null;
        }
    }

    /// <summary>Waits for requests until <paramref name="condition"/> holds over all received so far (the token is the deadline).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitUntilAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, string what, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var snapshot = Received;
                if (condition(snapshot))
                {
                    return snapshot;
                }

                await arrivals.Reader.ReadAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException(
                $"The receiver never got '{what}' before the deadline; it got {received.Count}: {string.Join(", ", Received.Select(r => $"{r.MessageId}→{r.AnsweredStatus}"))}");
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        app = builder.Build();
        app.Run(ReceiveAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = new ReceivedWebhook(
            context.Request.Path,
            context.Request.Headers["webhook-id"],
            context.Request.Headers["webhook-timestamp"],
            context.Request.Headers["webhook-signature"],
            context.Request.ContentType,
            body.ToArray(),
            0);
        var earlier = received.Count(r => r.MessageId == request.MessageId);
        var status = Answer(request, earlier);
        received.Enqueue(request with { AnsweredStatus = status });
        arrivals.Writer.TryWrite(true);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(status < 300 ? "ok" : "receiver failing on purpose", context.RequestAborted);
    }
}
