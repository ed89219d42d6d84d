using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>
/// A stream that ended with its job's terminal event: the notifier holds the request back a moment before tearing it
/// down (<c>Streams:EndedStreamHold</c>), so a terminal event reaches every stream watching the job before any teardown.
/// The client must still get its whole response at once, and its keep-alive connection must serve the next request.
/// </summary>
[Collection(EventsCollectionDefinition.Name)]
public sealed class EndedStreamTests(EventsTopologyFixture fixture)
{
    private const string ChunkedEnd = "\r\n0\r\n\r\n";

    [Fact]
    public async Task The_connection_of_an_ended_stream_serves_the_next_request()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var job = await fixture.SubmitAsync(new { steps = 2, stepDurationMs = 100 }, deadline.Token);
        var events = new Uri(job.Links.Events);
        var notifier = fixture.Topology.NotifierUrl;

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, notifier.Port), deadline.Token);

        var first = await GetWholeStreamAsync(socket, notifier, events.PathAndQuery, deadline.Token);
        first.ShouldStartWith("HTTP/1.1 200");
        first.ShouldContain("event: job.succeeded");

        // The same connection: Kestrel reads this request once the first one's hold is over.
        var second = await GetWholeStreamAsync(socket, notifier, events.PathAndQuery, deadline.Token);
        second.ShouldStartWith("HTTP/1.1 200");
        second.ShouldContain("event: job.succeeded");
    }

    /// <summary>Sends one GET for a job's stream and reads its chunked response up to the last chunk.</summary>
    private async Task<string> GetWholeStreamAsync(Socket socket, Uri notifier, string path, CancellationToken cancellationToken)
    {
        var request = $"GET {path} HTTP/1.1\r\nHost: {notifier.Authority}\r\nAccept: text/event-stream\r\nAuthorization: Bearer {fixture.Topology.ApiKey}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

        var response = new StringBuilder();
        var buffer = new byte[8192];
        while (!response.ToString().EndsWith(ChunkedEnd, StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            read.ShouldBeGreaterThan(0, $"The notifier closed the connection before the end of the stream. So far:\n{response}");
            response.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return response.ToString();
    }
}
