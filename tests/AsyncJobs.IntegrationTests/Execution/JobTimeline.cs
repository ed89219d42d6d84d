using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>Follows a job through the notifier's SSE stream (resumable with Last-Event-ID), as a client would.</summary>
public static class JobTimeline
{
    public static async IAsyncEnumerable<TimelineEvent> ReadAsync(
        HttpClient notifier, Uri events, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, events);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } after)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await notifier.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {events}");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (string.IsNullOrEmpty(item.EventId))
            {
                continue; // a live progress frame: not part of the durable timeline
            }

            var received = DateTimeOffset.UtcNow;
            using var data = JsonDocument.Parse(item.Data);
            var root = data.RootElement;
            yield return new TimelineEvent(
                long.Parse(item.EventId.ShouldNotBeNull(), CultureInfo.InvariantCulture),
                item.EventType,
                root.GetProperty("status").GetString()!,
                root.GetProperty("attempt").GetInt32(),
                root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null ? error.Clone() : null,
                root.GetProperty("occurredAt").GetDateTimeOffset(),
                received);
        }
    }

    /// <summary>Every event (after <paramref name="lastEventId"/>) up to and including the first terminal one.</summary>
    public static async Task<IReadOnlyList<TimelineEvent>> UntilTerminalAsync(
        HttpClient notifier, Uri events, CancellationToken cancellationToken, long? lastEventId = null)
    {
        var received = new List<TimelineEvent>();
        try
        {
            await foreach (var e in ReadAsync(notifier, events, lastEventId, cancellationToken))
            {
                received.Add(e);
                if (e.IsTerminal)
                {
                    return received;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"No terminal event on {events} before the deadline ({DateTimeOffset.UtcNow:O}); received: {Describe(received)}");
        }

        throw new ShouldAssertException($"The stream {events} ended without a terminal event: {Describe(received)}");
    }

    public static string Describe(IEnumerable<TimelineEvent> events) => string.Join(", ", events);
}
