using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Http;
using AsyncJobs.Client.Jobs;
using AsyncJobs.Client.Problems;

namespace AsyncJobs.Client;

public sealed partial class AsyncJobsClient
{
    /// <summary>
    /// Follows a job's events over Server-Sent Events until its terminal event. After a dropped connection or a notifier
    /// restart the stream reconnects by itself (with backoff, honouring the server's <c>retry:</c> hint) and resumes with
    /// <c>Last-Event-ID</c>, so every event arrives once and in order. Only durable events are yielded: the notifier's
    /// live progress frames (sent without an SSE id between durable progress events) are skipped.
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <param name="afterSequence">
    /// Start after this event: <see cref="StreamPosition.Beginning"/> (0) for the whole history; null (the default) for the
    /// job's current state first, then the live events.
    /// </param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such job for this tenant.</exception>
    /// <exception cref="AsyncJobsStreamException">The notifier stayed unreachable for every reconnection attempt.</exception>
    public async IAsyncEnumerable<JobEvent> StreamAsync(Guid id, int? afterSequence = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var url = options.EventsAddress is not null ? JobEventsUrl(id, null) : JobEventsUrl(id, (await GetAsync(id, cancellationToken)).Links);
        await foreach (var jobEvent in ReadStreamAsync(url, afterSequence, sequenced: true, options.MaxStreamReconnectAttempts, cancellationToken))
        {
            yield return jobEvent;
        }
    }

    /// <summary>Follows a submitted job's events, using its handle's <c>links.events</c> (or <see cref="AsyncJobsClientOptions.EventsAddress"/> when set).</summary>
    /// <param name="job">The handle <see cref="SubmitAsync(string, JsonElement, SubmitOptions?, CancellationToken)"/> answered.</param>
    /// <param name="afterSequence">Start after this event; null for the current state first.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <inheritdoc cref="StreamAsync(Guid, int?, CancellationToken)" path="/exception"/>
    public IAsyncEnumerable<JobEvent> StreamAsync(JobHandle job, int? afterSequence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ReadStreamAsync(JobEventsUrl(job.Id, job.Links), afterSequence, sequenced: true, options.MaxStreamReconnectAttempts, cancellationToken);
    }

    /// <summary>
    /// Follows every event of every job of the tenant (<c>/events</c> on <see cref="AsyncJobsClientOptions.EventsAddress"/>),
    /// resuming by itself like <see cref="StreamAsync(Guid, int?, CancellationToken)"/>. It never ends by itself.
    /// </summary>
    /// <param name="afterEventId">Start after this global event id (<see cref="JobEvent.StreamId"/>); null for the newest event of each unfinished job first.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <exception cref="InvalidOperationException"><see cref="AsyncJobsClientOptions.EventsAddress"/> is not set.</exception>
    /// <exception cref="AsyncJobsStreamException">The notifier stayed unreachable for every reconnection attempt.</exception>
    public IAsyncEnumerable<JobEvent> StreamTenantAsync(long? afterEventId = null, CancellationToken cancellationToken = default)
    {
        var events = options.EventsAddress ?? throw new InvalidOperationException("Set AsyncJobsClientOptions.EventsAddress (the notifier) to stream the tenant's events.");
        return ReadStreamAsync(new Uri(WithTrailingSlash(events), "events"), afterEventId, sequenced: false, options.MaxStreamReconnectAttempts, cancellationToken);
    }

    /// <summary>
    /// Waits until a job succeeds, fails or is cancelled, and answers it. Follows the event stream; when the notifier is
    /// unavailable, polls <c>GET /jobs/{id}</c> instead, honouring <c>Retry-After</c> and sending <c>If-None-Match</c>.
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Stops waiting (the job goes on).</param>
    /// <returns>The job in its terminal state, with its result or error.</returns>
    /// <exception cref="AsyncJobsNotFoundException">No such job for this tenant.</exception>
    public Task<Job> WaitAsync(Guid id, CancellationToken cancellationToken = default) => WaitAsync(id, null, cancellationToken);

    /// <summary>Waits until a job finishes, reporting each event the stream delivers (none while polling).</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="progress">Told of every event received, e.g. to draw a progress bar.</param>
    /// <param name="cancellationToken">Stops waiting (the job goes on).</param>
    /// <returns>The job in its terminal state, with its result or error.</returns>
    /// <exception cref="AsyncJobsNotFoundException">No such job for this tenant.</exception>
    public async Task<Job> WaitAsync(Guid id, IProgress<JobEvent>? progress, CancellationToken cancellationToken = default)
    {
        var job = await GetAsync(id, cancellationToken);
        if (job.IsTerminal)
        {
            return job;
        }

        try
        {
            // One reconnection only: a waiting caller is better served by polling than by a long backoff.
            await foreach (var jobEvent in ReadStreamAsync(JobEventsUrl(id, job.Links), null, sequenced: true, maxReconnects: 1, cancellationToken))
            {
                progress?.Report(jobEvent);
            }

            return await GetAsync(id, cancellationToken);
        }
        catch (AsyncJobsStreamException)
        {
            return await PollUntilTerminalAsync(id, cancellationToken);
        }
    }

    /// <summary>Waits until a submitted job finishes; see <see cref="WaitAsync(Guid, CancellationToken)"/>.</summary>
    /// <param name="job">The handle the submission answered.</param>
    /// <param name="cancellationToken">Stops waiting (the job goes on).</param>
    /// <returns>The job in its terminal state, with its result or error.</returns>
    public Task<Job> WaitAsync(JobHandle job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return WaitAsync(job.Id, null, cancellationToken);
    }

    private async Task<Job> PollUntilTerminalAsync(Guid id, CancellationToken cancellationToken)
    {
        Job? job = null;
        EntityTagHeaderValue? etag = null;
        while (true)
        {
            using var response = await SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, $"jobs/{id}");
                    if (etag is not null && job is not null)
                    {
                        request.Headers.IfNoneMatch.Add(etag);
                    }

                    return request;
                },
                cancellationToken,
                allowNotModified: true);
            if (response.StatusCode != HttpStatusCode.NotModified || job is null)
            {
                job = await ReadAsync<Job>(response, cancellationToken);
                etag = response.Headers.ETag;
            }

            if (job.IsTerminal)
            {
                return job;
            }

            await Task.Delay(RetryAfter.Of(response, time) ?? options.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// Reads one stream across as many connections as it takes. <paramref name="sequenced"/> streams (one job) resume by the
    /// job's sequence, which has no gaps, and end after the terminal event; the tenant stream resumes by global event id.
    /// </summary>
    private async IAsyncEnumerable<JobEvent> ReadStreamAsync(
        Uri url, long? after, bool sequenced, int maxReconnects, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = after;
        var failures = 0;
        TimeSpan? hint = null;
        Exception? lastFailure = null;
        while (true)
        {
            if (failures > 0)
            {
                if (failures > maxReconnects)
                {
                    throw new AsyncJobsStreamException(url, failures, last, lastFailure);
                }

                await Task.Delay(ReconnectDelay(failures, hint), time, cancellationToken);
            }

            var (response, failure) = await OpenStreamAsync(url, last, cancellationToken);
            if (response is null)
            {
                lastFailure = failure;
                hint = failure is StreamRefusedException { RetryAfter: { } retryAfter } ? retryAfter : hint;
                failures++;
                continue;
            }

            using (response)
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var parser = SseParser.Create(body, ParseEvent);
                await using var items = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await items.MoveNextAsync();
                    }
                    catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                    {
                        lastFailure = exception;
                        more = false;
                    }

                    if (parser.ReconnectionInterval > TimeSpan.Zero && parser.ReconnectionInterval != Timeout.InfiniteTimeSpan)
                    {
                        hint = parser.ReconnectionInterval;
                    }

                    if (!more)
                    {
                        break;
                    }

                    var item = items.Current;
                    // Frames without an id are live progress between durable events (best effort, never resumable):
                    // this reader yields the durable history only, so its positions stay exact.
                    if (item.Data is not { } jobEvent || string.IsNullOrEmpty(item.EventId))
                    {
                        continue;
                    }

                    jobEvent = jobEvent with { StreamId = long.TryParse(item.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var streamId) ? streamId : jobEvent.Sequence };
                    var position = sequenced ? jobEvent.Sequence : jobEvent.StreamId;
                    if (last is { } seen && position <= seen)
                    {
                        continue;
                    }

                    if (sequenced && last is { } previous && position != previous + 1)
                    {
                        // A job's sequence has no gaps: reconnect and let the notifier replay what is missing.
                        break;
                    }

                    last = position;
                    failures = 0;
                    yield return jobEvent;
                    if (sequenced && jobEvent.IsTerminal)
                    {
                        yield break;
                    }
                }
            }

            failures++;
        }
    }

    /// <summary>Opens one connection of a stream; answers null and the reason when the notifier is unreachable or unwell.</summary>
    private async Task<(HttpResponseMessage? Response, Exception? Failure)> OpenStreamAsync(Uri url, long? after, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (after is { } lastEventId)
        {
            request.Headers.Add("Last-Event-ID", lastEventId.ToString(CultureInfo.InvariantCulture));
        }

        Authorize(request);
        HttpResponseMessage response;
        try
        {
            response = await events.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return (response, null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 500 or 408 or 429)
            {
                return (null, new StreamRefusedException(response.StatusCode, RetryAfter.Of(response, time)));
            }

            throw await ProblemReader.ReadAsync(response, cancellationToken);
        }
    }

    private TimeSpan ReconnectDelay(int failures, TimeSpan? hint)
    {
        var first = hint ?? options.StreamReconnectDelay;
        var backoff = first * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = backoff > options.MaxStreamReconnectDelay ? options.MaxStreamReconnectDelay : backoff;
        // Jitter so that many clients of a restarted notifier do not come back at the same instant.
        return capped * (0.8 + (0.4 * Random.Shared.NextDouble()));
    }

    private Uri JobEventsUrl(Guid id, JobLinks? links)
    {
        if (options.EventsAddress is { } events)
        {
            return new Uri(WithTrailingSlash(events), $"jobs/{id}/events");
        }

        var link = links?.Events ?? throw new InvalidOperationException("The job has no events link; set AsyncJobsClientOptions.EventsAddress.");
        return Uri.TryCreate(link, UriKind.Absolute, out var absolute) ? absolute : new Uri(api.BaseAddress!, link);
    }

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");

    private static JobEvent? ParseEvent(string eventType, ReadOnlySpan<byte> data) =>
        data.IsEmpty ? null : JsonSerializer.Deserialize<JobEvent>(data, ClientJson.Options);

    private sealed class StreamRefusedException(HttpStatusCode status, TimeSpan? retryAfter)
        : Exception($"The notifier answered {(int)status}.")
    {
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }
}
