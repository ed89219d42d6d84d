using System.Collections.Concurrent;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// Sits under the client's stream connections and cuts the first <paramref name="cuts"/> of them after
/// <paramref name="bytesBeforeCut"/> bytes of the event stream (possibly mid-event), as a dropped network connection does.
/// Records the <c>Last-Event-ID</c> each connection asked for.
/// </summary>
public sealed class CuttingHandler(int cuts, int bytesBeforeCut) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<string?> lastEventIds = new();
    private int connections;

    public IReadOnlyList<string?> LastEventIds => [.. lastEventIds];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lastEventIds.Enqueue(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Increment(ref connections) <= cuts && response.IsSuccessStatusCode)
        {
            var original = response.Content;
            var cut = new StreamContent(new CuttingStream(await original.ReadAsStreamAsync(cancellationToken), bytesBeforeCut));
            foreach (var header in original.Headers)
            {
                cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = cut;
        }

        return response;
    }

    private sealed class CuttingStream(Stream inner, int limit) : Stream
    {
        private int read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (read >= limit)
            {
                throw new IOException("The connection was cut on purpose.");
            }

            var count = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, limit - read)], cancellationToken);
            read += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
