using System.Globalization;
using System.Text;
using AsyncJobs.Core.Events;
using Microsoft.AspNetCore.Http.Features;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// Writes a feed as <c>text/event-stream</c>. Written by hand rather than with TypedResults.ServerSentEvents
/// because idle streams need heartbeat comment lines (<c>: heartbeat</c>), which that result cannot write.
/// </summary>
public sealed class EventStreamResult(IAsyncEnumerable<JobEventMessage?> feed, Func<JobEventMessage, string> eventId, TimeSpan retry) : IResult
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var body = response.Body;
        var cancellationToken = httpContext.RequestAborted;
        await body.WriteAsync(Encoding.UTF8.GetBytes($"retry: {(long)retry.TotalMilliseconds}\n\n"), cancellationToken);
        await body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var jobEvent in feed.WithCancellation(cancellationToken))
            {
                await body.WriteAsync(jobEvent is null ? Heartbeat : Frame(jobEvent), cancellationToken);
                await body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; the feed's subscription is already released.
        }
    }

    private byte[] Frame(JobEventMessage jobEvent)
    {
        var frame = new StringBuilder()
            .Append("id: ").Append(eventId(jobEvent)).Append('\n')
            .Append("event: ").Append(jobEvent.Type).Append('\n');
        foreach (var line in jobEvent.Data.Split('\n'))
        {
            frame.Append("data: ").Append(line).Append('\n');
        }

        return Encoding.UTF8.GetBytes(frame.Append('\n').ToString());
    }

    public static string SequenceId(JobEventMessage jobEvent) => jobEvent.Sequence.ToString(CultureInfo.InvariantCulture);

    public static string GlobalId(JobEventMessage jobEvent) => jobEvent.EventId.ToString(CultureInfo.InvariantCulture);
}
