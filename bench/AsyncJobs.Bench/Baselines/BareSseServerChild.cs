using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AsyncJobs.Bench.Baselines;

/// <summary>
/// The event fan-out ceiling (<c>AsyncJobs.Bench bare-sse-server</c>): Kestrel holding Server-Sent Events streams
/// and writing one pre-encoded, job-shaped progress frame to every open stream twice a second, and nothing else (no
/// authentication, database, Redis or per-stream queue). In a process of its own, so its memory and CPU per stream
/// read like the notifier's. Runs until its standard input closes.
/// </summary>
public static class BareSseServerChild
{
    public const string Command = "bare-sse-server";
    public const string ReadyPrefix = "bare-sse-server ready at ";
    public const string StreamPath = "/events";

    /// <summary>The steady job of the events scenario reports progress twice a second.</summary>
    private static readonly TimeSpan BroadcastInterval = TimeSpan.FromMilliseconds(500);

    private static TaskCompletionSource<byte[]> nextFrame = NewFrameSource();

    public static async Task<int> RunAsync()
    {
        await using var app = await LoopbackWebApp.StartAsync(_ => { }, app => app.MapGet(StreamPath, StreamAsync), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var broadcasting = BroadcastAsync(stop.Token);
        Console.WriteLine(ReadyPrefix + app.Url);
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        await stop.CancelAsync();
        await broadcasting;
        return 0;
    }

    private static async Task StreamAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = context.Response.BodyWriter;
        var aborted = context.RequestAborted;
        try
        {
            // The first frame at once, as the notifier sends the job's current state: the client then counts the stream as open.
            body.Write(Frame(0, DateTimeOffset.UtcNow));
            await body.FlushAsync(aborted);
            while (!aborted.IsCancellationRequested)
            {
                body.Write(await Volatile.Read(ref nextFrame).Task.WaitAsync(aborted));
                await body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }

    private static async Task BroadcastAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(BroadcastInterval);
        var sequence = 1;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Encoded once for all streams, stamped at the moment of the fan-out.
                Interlocked.Exchange(ref nextFrame, NewFrameSource()).SetResult(Frame(sequence++, DateTimeOffset.UtcNow));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static TaskCompletionSource<byte[]> NewFrameSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A frame of the size and shape of the notifier's durable <c>job.progress</c> frame.</summary>
    private static byte[] Frame(int sequence, DateTimeOffset occurredAt) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"id: {sequence}\nevent: job.progress\ndata: {{\"jobId\":\"0196b2f4-7a1e-7c3d-9f00-000000000000\",\"sequence\":{sequence},\"type\":\"job.progress\",\"status\":\"running\"," +
        $"\"attempt\":1,\"progress\":{{\"percent\":{sequence / 10.0:0.0},\"message\":\"step {sequence} of 1000\"}},\"result\":null,\"error\":null,\"occurredAt\":\"{occurredAt:O}\"}}\n\n"));
}
