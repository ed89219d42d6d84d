using System.Collections.Concurrent;
using System.Net;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>Records every request the client sends to the API and the status it got back.</summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<Exchange> exchanges = new();

    public IReadOnlyList<Exchange> Exchanges => [.. exchanges];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, request.Headers.IfNoneMatch.ToString(), response.StatusCode));
        return response;
    }

    public sealed record Exchange(string Method, string Path, string IfNoneMatch, HttpStatusCode Status);
}
