using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Events;

/// <summary>
/// One open Server-Sent Events stream, read in the background with the framework's own parser. Every event is
/// stamped when the parser hands it over, so latency = that moment − the event's <c>occurredAt</c>.
/// </summary>
public sealed class EventSubscription : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Lock gate = new();
    private readonly List<ReceivedEvent> received = [];
    private readonly TaskCompletionSource firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<ReceivedEvent, bool> Match, TaskCompletionSource<ReceivedEvent> Done)> waiters = [];
    private readonly Task reading;

    private EventSubscription(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading = Task.Run(() => ReadAsync(response, body, stop.Token), CancellationToken.None);
    }

    /// <summary>Fires with the first event (the job's current state): the stream is then live.</summary>
    public Task Connected => firstEvent.Task;

    public Task Completion => reading;

    /// <summary>
    /// Opens the stream; the answer's headers have arrived when this returns. With <paramref name="lastEventId"/> it
    /// resumes after that event (0: the whole history) instead of starting with the current state.
    /// </summary>
    public static async Task<EventSubscription> OpenAsync(HttpClient client, Uri url, string apiKey, CancellationToken cancellationToken, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (lastEventId is { } after)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {body}");
        }

        return new EventSubscription(response, await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken);
    }

    public static Task<EventSubscription> OpenJobAsync(BenchHttp http, TenantApi tenant, Guid jobId, CancellationToken cancellationToken, long? lastEventId = null) =>
        OpenAsync(http.Streams, tenant.JobEventsUrl(jobId), tenant.ApiKey, cancellationToken, lastEventId);

    public IReadOnlyList<ReceivedEvent> Snapshot()
    {
        lock (gate)
        {
            return [.. received];
        }
    }

    /// <summary>The first event (already received or still to come) that matches.</summary>
    public async Task<ReceivedEvent> WaitForAsync(Func<ReceivedEvent, bool> match, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<ReceivedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (received.FirstOrDefault(match) is { } already)
            {
                return already;
            }

            waiters.Add((match, done));
        }

        try
        {
            return await done.Task.WaitAsync(deadline, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching event within {deadline.TotalSeconds:0.#} s; received: {string.Join(", ", Snapshot().Select(e => e.Type))}.");
        }
    }

    /// <summary>The <paramref name="count"/>-th event of a type once received, or null when the deadline passes first.</summary>
    public async Task<ReceivedEvent?> WaitForCountAsync(string type, int count, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            lock (gate)
            {
                var seen = 0;
                foreach (var item in received)
                {
                    if (item.Type == type && ++seen == count)
                    {
                        return item;
                    }
                }
            }

            if (clock.Elapsed > deadline || reading.IsCompleted)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
        {
        }

        stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        using var _ = response;
        await using var __ = body;
        // The data is read straight from the parser's UTF-8 bytes.
        await foreach (var item in SseParser.Create(body, ParseData).EnumerateAsync(cancellationToken))
        {
            var receivedAt = DateTimeOffset.UtcNow;
            if (item.Data is not { } data)
            {
                continue;
            }

            var received = new ReceivedEvent(item.EventType, long.TryParse(item.EventId, out var id) ? id : 0, data.Attempt, data.OccurredAt, receivedAt, data.Live);

            List<TaskCompletionSource<ReceivedEvent>>? satisfied = null;
            lock (gate)
            {
                this.received.Add(received);
                for (var i = waiters.Count - 1; i >= 0; i--)
                {
                    if (waiters[i].Match(received))
                    {
                        (satisfied ??= []).Add(waiters[i].Done);
                        waiters.RemoveAt(i);
                    }
                }
            }

            firstEvent.TrySetResult();
            foreach (var waiter in satisfied ?? [])
            {
                waiter.TrySetResult(received);
            }
        }
    }

    private static EventFields? ParseData(string eventType, ReadOnlySpan<byte> data) =>
        data.IsEmpty || eventType == SseParser.EventTypeDefault ? null : EventFields.Read(eventType, data);
}
