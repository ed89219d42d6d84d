using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncJobs.Bench.Events;

/// <summary>
/// One Server-Sent Events stream read straight from a socket: an HTTP/1.1 GET, then the chunked body split into
/// events, each stamped when its blank line arrives. For the 10,000-stream samples, where the client shares the 2
/// cores with the server it measures: HttpClient, its chunked stream and SseParser cost the client about as much CPU
/// per event as the notifier's fan-out itself. It reads what the notifier and the bare baseline send (chunked
/// text/event-stream, LF line ends); <see cref="EventSubscription"/> stays the general client.
/// </summary>
public sealed class SocketSseReader : IAsyncDisposable
{
    private static readonly byte[] HeadersEnd = "\r\n\r\n"u8.ToArray();

    private static readonly (string Name, byte[] Utf8)[] KnownTypes = [.. new[]
    {
        "job.progress", "job.queued", "job.running", "job.retrying", "job.succeeded", "job.failed", "job.cancelled",
    }.Select(name => (name, Encoding.UTF8.GetBytes(name)))];

    private readonly Socket socket;
    private readonly Lock gate = new();
    private readonly List<ReceivedEvent> received = [];
    private readonly TaskCompletionSource firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop;
    private readonly ArrayBufferWriter<byte> events = new(1024);
    private readonly Task reading;

    private SocketSseReader(Socket socket, byte[] buffer, int start, int count, CancellationToken cancellationToken)
    {
        this.socket = socket;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading = ReadAsync(buffer, start, count, stop.Token);
    }

    /// <summary>Fires with the first event (the job's current state): the stream is then live.</summary>
    public Task Connected => firstEvent.Task;

    /// <summary>Ends when the server ends the response (the job's terminal event) or the connection closes.</summary>
    public Task Completion => reading;

    public static async Task<SocketSseReader> OpenAsync(Uri url, string bearerKey, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(url.Host), url.Port), cancellationToken);
            var request = Encoding.ASCII.GetBytes(
                $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAccept: text/event-stream\r\nAuthorization: Bearer {bearerKey}\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);

            // The status line and headers; whatever of the body came with them is handed to the reader.
            var buffer = new byte[4096];
            var filled = 0;
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf(HeadersEnd)) < 0)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (read == 0 || (filled += read) == buffer.Length)
                {
                    throw new InvalidOperationException($"GET {url}: the answer's headers did not arrive whole.");
                }
            }

            var head = Encoding.ASCII.GetString(buffer, 0, end);
            if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || !head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"GET {url} answered, not as a chunked 200 stream: {head}");
            }

            return new SocketSseReader(socket, buffer, end + HeadersEnd.Length, filled - end - HeadersEnd.Length, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool Field(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (!line.StartsWith(name))
        {
            value = default;
            return false;
        }

        value = line[name.Length..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        return true;
    }

    // The few event types as shared strings: one allocation less per event on every stream.
    private static string EventType(ReadOnlySpan<byte> name)
    {
        foreach (var known in KnownTypes)
        {
            if (name.SequenceEqual(known.Utf8))
            {
                return known.Name;
            }
        }

        return Encoding.UTF8.GetString(name);
    }

    public IReadOnlyList<ReceivedEvent> Snapshot()
    {
        lock (gate)
        {
            return [.. received];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        socket.Dispose();
        try
        {
            await reading;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task ReadAsync(byte[] buffer, int start, int count, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var chunkLeft = 0; // Body bytes left in the current chunk; -1 while a chunk's size line is read.
        var sizeLine = new ArrayBufferWriter<byte>(16);
        var afterChunk = false; // The CRLF that ends a chunk's data is still to skip.
        while (true)
        {
            var data = buffer.AsSpan(start, count);
            while (!data.IsEmpty)
            {
                if (chunkLeft > 0)
                {
                    var take = Math.Min(chunkLeft, data.Length);
                    events.Write(data[..take]);
                    data = data[take..];
                    chunkLeft -= take;
                    if (chunkLeft == 0)
                    {
                        afterChunk = true;
                        SplitEvents();
                    }

                    continue;
                }

                var lineEnd = data.IndexOf((byte)'\n');
                if (lineEnd < 0)
                {
                    sizeLine.Write(data);
                    break;
                }

                sizeLine.Write(data[..lineEnd]);
                data = data[(lineEnd + 1)..];
                var line = sizeLine.WrittenSpan.TrimEnd((byte)'\r');
                sizeLine.ResetWrittenCount();
                if (afterChunk)
                {
                    afterChunk = false; // The empty line after a chunk's data.
                    continue;
                }

                var extension = line.IndexOf((byte)';');
                if (!Utf8Parser.TryParse(extension < 0 ? line : line[..extension], out int size, out _, 'x'))
                {
                    throw new InvalidOperationException($"A malformed chunk size line: {Encoding.ASCII.GetString(line)}");
                }

                if (size == 0)
                {
                    return; // The last chunk: the server ended the response.
                }

                chunkLeft = size;
            }

            start = 0;
            count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                return;
            }
        }
    }

    // Every complete event (up to its blank line) in what the chunks delivered so far; a partial one waits for more.
    private void SplitEvents()
    {
        var pending = events.WrittenSpan;
        var consumed = 0;
        int boundary;
        while ((boundary = pending[consumed..].IndexOf("\n\n"u8)) >= 0)
        {
            var receivedAt = DateTimeOffset.UtcNow;
            if (Parse(pending.Slice(consumed, boundary + 1), receivedAt) is { } item)
            {
                lock (gate)
                {
                    received.Add(item);
                }

                firstEvent.TrySetResult();
            }

            consumed += boundary + 2;
        }

        if (consumed == pending.Length)
        {
            events.ResetWrittenCount();
        }
        else if (consumed > 0)
        {
            var rest = pending[consumed..].ToArray();
            events.ResetWrittenCount();
            events.Write(rest);
        }
    }

    // One event's lines (event:, id:, data:); comments (heartbeats) and retry: lines carry no event.
    private static ReceivedEvent? Parse(ReadOnlySpan<byte> frame, DateTimeOffset receivedAt)
    {
        string? type = null;
        long id = 0;
        ReadOnlySpan<byte> data = default;
        while (!frame.IsEmpty)
        {
            var end = frame.IndexOf((byte)'\n');
            var line = end < 0 ? frame : frame[..end];
            frame = end < 0 ? default : frame[(end + 1)..];
            if (Field(line, "event:"u8, out var value))
            {
                type = EventType(value);
            }
            else if (Field(line, "id:"u8, out value))
            {
                id = Utf8Parser.TryParse(value, out long parsed, out _) ? parsed : 0;
            }
            else if (Field(line, "data:"u8, out value))
            {
                data = value;
            }
        }

        if (type is null || data.IsEmpty)
        {
            return null;
        }

        var fields = EventFields.Read(type, data);
        return new ReceivedEvent(type, id, fields.Attempt, fields.OccurredAt, receivedAt, fields.Live);
    }
}
