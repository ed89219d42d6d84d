using System.Text.Json;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Http;

namespace AsyncJobs.Client.Webhooks;

/// <summary>
/// A webhook whose signature and timestamp verified, as <see cref="WebhookSignatureFilter"/> hands it to the endpoint
/// (<c>httpContext.GetVerifiedWebhook()</c>). Its body is <c>{type, timestamp, data}</c>, where <c>data</c> is the job event.
/// </summary>
/// <param name="MessageId">The <c>webhook-id</c>: the same on every retry of one message, so drop the ones already handled.</param>
/// <param name="Timestamp">When the message was signed (<c>webhook-timestamp</c>).</param>
/// <param name="Body">The body exactly as received and verified.</param>
public sealed record VerifiedWebhook(string MessageId, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Body)
{
    /// <summary>The event type in the body, e.g. <c>job.succeeded</c>.</summary>
    public string Type => Root.TryGetProperty("type", out var type) ? type.GetString() ?? "" : "";

    /// <summary>The body's <c>data</c>: the job event's snapshot.</summary>
    public JsonElement Data => Root.TryGetProperty("data", out var data) ? data : default;

    // Parsed on each use rather than cached: a cached document would take part in the record's equality.
    private JsonElement Root => JsonElement.Parse(Body.Span);

    /// <summary>The body's <c>data</c> as a <see cref="JobEvent"/> (job id, sequence, status, progress, result, error).</summary>
    public JobEvent ToJobEvent() =>
        Data.Deserialize<JobEvent>(ClientJson.Options) ?? throw new JsonException("The webhook has no event data.");

    /// <summary>The body's <c>data</c> deserialized as <typeparamref name="T"/> (camelCase JSON).</summary>
    /// <typeparam name="T">The type to read the data as.</typeparam>
    public T? DataAs<T>() => Data.Deserialize<T>(ClientJson.Options);
}
