using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// Writes a feed's frames as <c>text/event-stream</c>. Written by hand rather than with TypedResults.ServerSentEvents
/// because idle streams need heartbeat comment lines (<c>: heartbeat</c>), live frames have no id, and the frames
/// arrive already encoded (once for all streams). Frames that are ready together go out in one flush.
/// </summary>
public sealed class EventStreamResult(IAsyncEnumerable<ReadOnlyMemory<byte>> feed, TimeSpan retry) : IResult
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
        body.Write(EventFrames.Retry(retry).AsSpan());
        await body.FlushAsync(cancellationToken);
        await using var frames = feed.GetAsyncEnumerator(CancellationToken.None); // The feed watches RequestAborted itself.
        var next = frames.MoveNextAsync();
        var awaited = false;
        try
        {
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

            await body.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; the feed's subscription is already released.
        }
        finally
        {
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
    }
}
