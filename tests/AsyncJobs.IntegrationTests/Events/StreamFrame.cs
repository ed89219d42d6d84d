using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>
/// Every frame of an SSE stream as the client got it, durable (with <c>id:</c>) or live (without), read with the
/// framework's own parser.
/// </summary>
public sealed record StreamFrame(string? Id, string Type, string JobId, long Sequence, bool Live, string? Step, int Percent)
{
    public bool IsTerminal => Type is "job.succeeded" or "job.failed" or "job.cancelled";

    public static async IAsyncEnumerable<StreamFrame> ReadAsync(HttpClient client, Uri events, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, events);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {events}");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            using var data = JsonDocument.Parse(item.Data);
            var root = data.RootElement;
            var progress = root.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            yield return new StreamFrame(
                item.EventId,
                item.EventType,
                root.GetProperty("jobId").GetString()!,
                root.GetProperty("sequence").GetInt64(),
                root.TryGetProperty("live", out var live) && live.ValueKind == JsonValueKind.True,
                progress.ValueKind == JsonValueKind.Object && progress.TryGetProperty("step", out var step) ? step.GetString() : null,
                progress.ValueKind == JsonValueKind.Object && progress.TryGetProperty("percent", out var percent) ? percent.GetInt32() : 0);
        }
    }

    /// <summary>Every frame up to and including the job's terminal event.</summary>
    public static async Task<List<StreamFrame>> ReadUntilTerminalAsync(HttpClient client, Uri events, string? lastEventId, CancellationToken cancellationToken)
    {
        var frames = new List<StreamFrame>();
        await foreach (var frame in ReadAsync(client, events, lastEventId, cancellationToken))
        {
            frames.Add(frame);
            if (frame.IsTerminal)
            {
                return frames;
            }
        }

        throw new ShouldAssertException($"{events} ended without a terminal event; received: {Describe(frames)}");
    }

    public static string Describe(IEnumerable<StreamFrame> frames) => string.Join(", ", frames.Select(f => $"{f.Id ?? "live"}:{f.Type}:{f.Step}"));
}
