using System.Globalization;
using System.Text;
using AsyncJobs.Core.Events;

namespace AsyncJobs.Notifier.Events;

/// <summary>The <c>text/event-stream</c> bytes of each kind of frame a stream writes.</summary>
public static class EventFrames
{
    /// <summary>A comment line that keeps proxies from closing an idle stream.</summary>
    public static ReadOnlyMemory<byte> Heartbeat { get; } = ": heartbeat\n\n"u8.ToArray();

    public static byte[] Retry(TimeSpan retry) => Encoding.UTF8.GetBytes($"retry: {(long)retry.TotalMilliseconds}\n\n");

    /// <summary>A durable event, with <paramref name="id"/> as its SSE id (what <c>Last-Event-ID</c> resumes after).</summary>
    public static byte[] Durable(JobEventMessage jobEvent, long id) =>
        Encode(id.ToString(CultureInfo.InvariantCulture), jobEvent.Type, jobEvent.Data);

    /// <summary>A live frame: no <c>id:</c> line, so a client's last event id stays that of the last durable event.</summary>
    public static byte[] Live(string type, string data) => Encode(id: null, type, data);

    private static byte[] Encode(string? id, string type, string data)
    {
        var frame = new StringBuilder(data.Length + 64);
        if (id is not null)
        {
            frame.Append("id: ").Append(id).Append('\n');
        }

        frame.Append("event: ").Append(type).Append('\n');
        foreach (var line in data.Split('\n'))
        {
            frame.Append("data: ").Append(line).Append('\n');
        }

        return Encoding.UTF8.GetBytes(frame.Append('\n').ToString());
    }
}
