using System.Text;
using System.Text.Json;
using AsyncJobs.Core.Events;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>
/// The body of a webhook, in the Standard Webhooks shape: <c>{"type", "timestamp", "data"}</c>, where data is the event
/// exactly as SSE subscribers receive it and timestamp is when the event occurred (not when it is sent).
/// </summary>
public static class WebhookPayload
{
    public static string For(JobEventMessage message)
    {
        using var data = JsonDocument.Parse(message.Data);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", message.Type);
            if (data.RootElement.TryGetProperty("occurredAt", out var occurredAt))
            {
                writer.WritePropertyName("timestamp");
                occurredAt.WriteTo(writer);
            }

            writer.WritePropertyName("data");
            data.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
