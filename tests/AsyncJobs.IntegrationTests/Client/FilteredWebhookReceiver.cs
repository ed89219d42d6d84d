using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using AsyncJobs.Client.Webhooks;
using AsyncJobs.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// A receiver app as a client would write it: Kestrel on a loopback port, <c>POST /hooks</c> protected by
/// <c>.RequireWebhookSignature(...)</c>, with the accepted secrets read per request (so a test can rotate them).
/// Keeps every raw request (for replays) and every webhook the endpoint was handed after verification.
/// </summary>
public sealed class FilteredWebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<RawRequest> raw = new();
    private readonly ConcurrentQueue<VerifiedWebhook> verified = new();
    private readonly Channel<bool> arrivals = Channel.CreateUnbounded<bool>();
    private WebApplication? app;

    /// <summary>The secrets the endpoint accepts right now.</summary>
    public IReadOnlyList<string> Secrets { get; set; } = [WebhookSecret.Generate()];

    public Uri HooksUrl { get; private set; } = null!;

    public IReadOnlyList<RawRequest> Raw => [.. raw];

    public IReadOnlyList<VerifiedWebhook> Verified => [.. verified];

    public static async Task<FilteredWebhookReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var receiver = new FilteredWebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddProblemDetails();
        receiver.app = builder.Build();
        receiver.app.Use(receiver.RecordAsync);
        receiver.app.MapPost("/hooks", (HttpContext http) =>
            {
                receiver.verified.Enqueue(http.GetVerifiedWebhook());
                receiver.arrivals.Writer.TryWrite(true);
                return Results.Ok();
            })
            .RequireWebhookSignature(_ => new WebhookVerifier(receiver.Secrets));
        await receiver.app.StartAsync(cancellationToken);
        var address = new Uri(receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver.HooksUrl = new Uri(address, "/hooks");
        return receiver;
    }

    /// <summary>Waits until the endpoint has been handed a verified webhook matching <paramref name="match"/> (the token is the deadline).</summary>
    public async Task<VerifiedWebhook> WaitForAsync(Func<VerifiedWebhook, bool> match, string what, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (Verified.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                await arrivals.Reader.ReadAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"The receiver never verified '{what}'; it got {raw.Count} requests, {verified.Count} verified.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(TestContext.Current.CancellationToken);
            await app.DisposeAsync();
        }
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Request.Body.Position = 0;
        raw.Enqueue(new RawRequest(
            context.Request.Headers[WebhookHeaderNames.Id].ToString(),
            context.Request.Headers[WebhookHeaderNames.Timestamp].ToString(),
            context.Request.Headers[WebhookHeaderNames.Signature].ToString(),
            body.ToArray()));
        await next(context);
    }

    /// <summary>A request as it arrived, before verification.</summary>
    public sealed record RawRequest(string MessageId, string Timestamp, string Signature, byte[] Body);
}
