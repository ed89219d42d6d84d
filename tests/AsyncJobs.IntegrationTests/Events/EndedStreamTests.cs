using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>
/// Streams that ended with their job's terminal event. When many streams watch the job, the notifier holds each ended
/// request back a moment before tearing it down (<c>Streams:EndedStreamHold</c>), so the event reaches every stream
/// before any teardown runs. Either way the client gets its whole response at once, and its keep-alive connection
/// serves its next request.
/// </summary>
[Collection(EventsCollectionDefinition.Name)]
public sealed class EndedStreamTests(EventsTopologyFixture fixture)
{
    private const string ChunkedEnd = "\r\n0\r\n\r\n";

    [Fact]
    public async Task The_connection_of_an_ended_stream_serves_the_next_request()
    {
        using var deadline = StartDeadline();
        var job = await fixture.SubmitAsync(new { steps = 2, stepDurationMs = 100 }, deadline.Token);
        var path = new Uri(job.Links.Events).PathAndQuery;
        using var connection = await RawConnection.OpenAsync(fixture, deadline.Token);

        await connection.SendGetAsync(path, deadline.Token);
        var first = await connection.ReadResponseAsync(deadline.Token);
        first.ShouldStartWith("HTTP/1.1 200");
        first.ShouldContain("event: job.succeeded");

        await connection.SendGetAsync(path, deadline.Token);
        var second = await connection.ReadResponseAsync(deadline.Token);
        second.ShouldStartWith("HTTP/1.1 200");
        second.ShouldContain("event: job.succeeded");
    }

    [Fact]
    public async Task When_many_streams_watch_a_cancelled_job_each_gets_the_event_and_keeps_its_connection()
    {
        const int Streams = 150; // Above the default EndedStreamHoldFromWatchers (100): the held path.
        using var deadline = StartDeadline();
        var job = await fixture.SubmitAsync(new { steps = 100, stepDurationMs = 200 }, deadline.Token);
        var path = new Uri(job.Links.Events).PathAndQuery;
        var connections = new List<RawConnection>();
        try
        {
            for (var i = 0; i < Streams; i++)
            {
                var connection = await RawConnection.OpenAsync(fixture, deadline.Token);
                connections.Add(connection);
                await connection.SendGetAsync(path, deadline.Token);
            }

            // Each stream is live once its first event (the job's current state) arrived.
            await Task.WhenAll(connections.Select(c => c.ReadUntilAsync(text => text.Contains("event: job.", StringComparison.Ordinal), deadline.Token)));
            using (var api = fixture.ApiClient())
            {
                using var cancelled = await api.PostAsJsonAsync($"/jobs/{job.Id}/cancel", new { }, deadline.Token);
                cancelled.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            }

            var responses = await Task.WhenAll(connections.Select(c => c.ReadResponseAsync(deadline.Token)));
            responses.ShouldAllBe(r => r.Contains("event: job.cancelled", StringComparison.Ordinal));

            // The held request returns, and its connection reads the next one.
            await connections[0].SendGetAsync(path, deadline.Token);
            var next = await connections[0].ReadResponseAsync(deadline.Token);
            next.ShouldStartWith("HTTP/1.1 200");
            next.ShouldContain("event: job.cancelled");
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }
    }

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        return deadline;
    }

    /// <summary>One keep-alive HTTP/1.1 connection to the notifier, written and read by hand: nothing pools or reopens it.</summary>
    private sealed class RawConnection : IDisposable
    {
        private readonly Socket socket;
        private readonly EventsTopologyFixture fixture;
        private readonly StringBuilder received = new();
        private readonly byte[] buffer = new byte[8192];

        private RawConnection(Socket socket, EventsTopologyFixture fixture)
        {
            this.socket = socket;
            this.fixture = fixture;
        }

        public static async Task<RawConnection> OpenAsync(EventsTopologyFixture fixture, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, fixture.Topology.NotifierUrl.Port), cancellationToken);
            return new RawConnection(socket, fixture);
        }

        public async Task SendGetAsync(string path, CancellationToken cancellationToken)
        {
            var request = $"GET {path} HTTP/1.1\r\nHost: {fixture.Topology.NotifierUrl.Authority}\r\nAccept: text/event-stream\r\n" +
                $"Authorization: Bearer {fixture.Topology.ApiKey}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);
        }

        /// <summary>The rest of the current chunked response, up to and including its last chunk.</summary>
        public async Task<string> ReadResponseAsync(CancellationToken cancellationToken)
        {
            await ReadUntilAsync(text => text.EndsWith(ChunkedEnd, StringComparison.Ordinal), cancellationToken);
            var response = received.ToString();
            received.Clear();
            return response;
        }

        public async Task ReadUntilAsync(Func<string, bool> done, CancellationToken cancellationToken)
        {
            while (!done(received.ToString()))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                read.ShouldBeGreaterThan(0, $"The notifier closed the connection. So far:\n{received}");
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
