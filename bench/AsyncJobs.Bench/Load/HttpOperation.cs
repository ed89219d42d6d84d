using System.Net;
using System.Net.Http.Headers;

namespace AsyncJobs.Bench.Load;

/// <summary>A POST of a fixed JSON body that succeeds on one expected status, its answer read in full as a client would.</summary>
public static class HttpOperation
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static Func<CancellationToken, Task<bool>> Post(HttpClient client, Uri url, byte[] body, HttpStatusCode expected) =>
        async cancellationToken =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            using var response = await client.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response.StatusCode == expected;
        };
}
