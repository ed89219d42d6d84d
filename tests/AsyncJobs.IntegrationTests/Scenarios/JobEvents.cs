using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Scenarios;

/// <summary>Reads a job's SSE stream with the framework's own parser, as any .NET client would.</summary>
public static class JobEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The stream's durable events (live progress frames are skipped). Without <paramref name="lastEventId"/> the notifier starts with the job's current
    /// state; <c>"0"</c> replays the whole history; any other id resumes right after that event.
    /// </summary>
    public static IAsyncEnumerable<JobStreamEvent> ReadAsync(HttpClient client, Uri events, CancellationToken cancellationToken) =>
        ReadAsync(client, events, lastEventId: null, cancellationToken);

    public static async IAsyncEnumerable<JobStreamEvent> ReadAsync(
        HttpClient client, Uri events, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, events);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {events}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.EventId is null && item.EventType == "job.progress")
            {
                continue; // A live progress frame: not durable, no id. These readers compare durable histories.
            }

            item.EventId.ShouldNotBeNull($"event {item.EventType} has no id");
            var data = JsonSerializer.Deserialize<JobEventData>(item.Data, Json);
            data.ShouldNotBeNull($"event {item.EventType} has no data");
            yield return new JobStreamEvent(long.Parse(item.EventId, CultureInfo.InvariantCulture), item.EventType, data);
        }
    }

    /// <summary>Every event up to and including the first terminal one (job.succeeded, job.failed, job.cancelled).</summary>
    public static Task<IReadOnlyList<JobStreamEvent>> ReadUntilTerminalAsync(HttpClient client, Uri events, CancellationToken cancellationToken) =>
        ReadUntilTerminalAsync(client, events, lastEventId: null, cancellationToken);

    public static async Task<IReadOnlyList<JobStreamEvent>> ReadUntilTerminalAsync(
        HttpClient client, Uri events, string? lastEventId, CancellationToken cancellationToken)
    {
        var received = new List<JobStreamEvent>();
        await foreach (var item in ReadAsync(client, events, lastEventId, cancellationToken))
        {
            received.Add(item);
            if (item.IsTerminal)
            {
                return received;
            }
        }

        throw new ShouldAssertException($"The stream {events} ended without a terminal event; received: {string.Join(", ", received.Select(e => e.Type))}");
    }
}
