using System.Buffers;
using AsyncJobs.Notifier.Observability;
using Microsoft.AspNetCore.Http.Features;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// Writes a feed's frames as <c>text/event-stream</c>. Written by hand rather than with TypedResults.ServerSentEvents
/// because idle streams need heartbeat comment lines (<c>: heartbeat</c>), live frames have no id, and the frames
/// arrive already encoded (once for all streams). Frames that are ready together go out in one flush. The stream
/// counts as open (<paramref name="scope"/>: job or tenant) while it writes. When the feed ends and
/// <paramref name="holdWhenEnded"/> says so, the request is held <see cref="StreamOptions.EndedStreamHold"/> before it returns.
/// </summary>
public sealed class EventStreamResult(
    IAsyncEnumerable<ReadOnlyMemory<byte>> feed, StreamOptions options, NotifierMetrics metrics, string scope, Func<bool>? holdWhenEnded = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var body = response.BodyWriter;
        var cancellationToken = httpContext.RequestAborted;
        // Counted here rather than by an iterator wrapping the feed: that cost every frame a second MoveNextAsync.
        metrics.StreamOpened(scope);
        await using var frames = feed.GetAsyncEnumerator(CancellationToken.None); // The feed watches RequestAborted itself.
        ValueTask<bool> next = default;
        var awaited = true;
        var ended = false;
        try
        {
            body.Write(EventFrames.Retry(options.ClientRetry).AsSpan());
            await body.FlushAsync(cancellationToken);
            next = frames.MoveNextAsync();
            awaited = false;
            while (true)
            {
                awaited = true;
                if (!await next)
                {
                    break;
                }

                body.Write(frames.Current.Span);
                next = frames.MoveNextAsync();
                awaited = false;
                if (!next.IsCompleted && (await body.FlushAsync(cancellationToken)).IsCompleted)
                {
                    // The client is gone: aborting the request releases the feed's subscription, which ends the feed.
                    httpContext.Abort();
                }
            }

            // The last frames and the chunked terminator go in one send.
            await response.CompleteAsync();
            ended = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; the feed's subscription is already released.
        }
        finally
        {
            metrics.StreamClosed(scope);
            // An async iterator cannot be disposed while a MoveNextAsync is running; the aborted request ends it.
            if (!awaited)
            {
                try
                {
                    await next;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }
        }

        if (ended && holdWhenEnded?.Invoke() == true)
        {
            // A job's terminal event ends every stream watching it at once. The request's teardown (the middleware's and
            // Kestrel's end of a request, and the garbage collection its allocations bring) cost a notifier here about as
            // much CPU as writing the event, and ran between the streams still to be written: held back, each of 10,000
            // streams gets the event before any of them is torn down. The client already has its whole response.
            await Task.Delay(options.EndedStreamHold, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
