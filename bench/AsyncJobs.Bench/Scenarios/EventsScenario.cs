using System.Collections.Concurrent;
using System.Text.Json;
using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Events;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// State change → SSE client received (now − the event's occurredAt, the database's time of the change), with 1
/// stream and with many streams on one notifier; and the notifier's resident memory per open, idle stream.
/// </summary>
public sealed class EventsScenario : IScenario
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(500);

    // Where in the job's report cycle the cancel lands. Halfway: each event's fan-out to 10,000 streams (about 200 ms
    // here) is over before the next begins. Right after a report: the cancel's fan-out starts while the report's is
    // still under way, two events for every stream within 50 ms, which measures the fan-out's throughput more than its latency.
    private static readonly TimeSpan CancelBetweenReports = ReportInterval / 2;
    private static readonly TimeSpan CancelDuringReport = TimeSpan.FromMilliseconds(50);

    // The sample starts with the job's fifth report. In the first second after the paused worker resumed, a profile found
    // the worker's JIT busy for 139 ms of the first report's 314 ms fan-out, and the notifier compiling its progress path,
    // at scale for the first time.
    private static readonly TimeSpan JobSettling = 4 * ReportInterval;

    // A long job reporting twice a second: a steady source of events to sample, cancelled when sampled.
    private static readonly byte[] SteadyJob = JsonSerializer.SerializeToUtf8Bytes(new
    {
        type = "demo.simulate",
        payload = new { steps = 1_000, stepDurationMs = (int)ReportInterval.TotalMilliseconds },
        maxAttempts = 1,
        timeoutSeconds = 3_600,
    });

    public string Name => "events";

    public string Title => "Events: state change → SSE client";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var profile = context.Profile;
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);

        var single = await context.Console.StepAsync($"1 stream, sampling for {profile.EventWindow.TotalSeconds:0} s", profile.EventWindow + TimeSpan.FromSeconds(1),
            () => SampleAsync(context, tenant, 1, CancelBetweenReports, cancellationToken));
        var many = await context.Console.StepAsync($"{profile.ManyStreams:N0} streams on one notifier", profile.EventWindow + TimeSpan.FromSeconds(profile.ManyStreams / 500.0),
            () => SampleAsync(context, tenant, profile.ManyStreams, CancelBetweenReports, cancellationToken, warmUpStreamEnds: true));
        var overlapping = await context.Console.StepAsync($"{profile.ManyStreams:N0} streams, the cancel {CancelDuringReport.TotalMilliseconds:0} ms after a report", profile.EventWindow + TimeSpan.FromSeconds(profile.ManyStreams / 500.0),
            () => SampleAsync(context, tenant, profile.ManyStreams, CancelDuringReport, cancellationToken));
        var bare = await context.Console.StepAsync($"baseline: bare Kestrel SSE fan-out, {profile.ManyStreams:N0} streams", profile.EventWindow + TimeSpan.FromSeconds(profile.ManyStreams / 500.0),
            () => SampleBareFanOutAsync(context, profile.ManyStreams, cancellationToken));

        var bareName = $"bare Kestrel SSE, {profile.ManyStreams:N0} streams";
        var atScale = profile.ManyStreams >= 10_000;
        result.Add(new Measurement("p50, 1 stream", single.Latency.P50, "ms"));
        result.Add(new Measurement("p99, 1 stream", single.Latency.P99, "ms", Target: IssueTargets.EventP99OneStream));
        result.Add(new Measurement($"p50, {profile.ManyStreams:N0} streams", many.Latency.P50, "ms", bareName, bare.Latency.P50));
        result.Add(new Measurement($"p99, {profile.ManyStreams:N0} streams", many.Latency.P99, "ms", bareName, bare.Latency.P99, atScale ? IssueTargets.EventP99ManyStreams : null));
        result.Add(new Measurement($"p50, {profile.ManyStreams:N0} streams, cancel {CancelDuringReport.TotalMilliseconds:0} ms after a report", overlapping.Latency.P50, "ms", bareName, bare.Latency.P50));
        result.Add(new Measurement($"p99, {profile.ManyStreams:N0} streams, cancel {CancelDuringReport.TotalMilliseconds:0} ms after a report", overlapping.Latency.P99, "ms", bareName, bare.Latency.P99));
        result.Add(new Measurement("notifier memory per idle stream", many.KilobytesPerStream, "KB", bareName, bare.KilobytesPerStream, atScale ? IssueTargets.MemoryPerStream : null));
        result.Add(new Measurement($"notifier RSS with {profile.ManyStreams:N0} streams open", many.ResidentKilobytesWithStreams / 1024.0, "MB", "before opening them", many.ResidentKilobytesBefore / 1024.0));
        result.Add(new Measurement("notifier CPU per stream opened", many.CpuPerStreamOpened.TotalMilliseconds, "ms", bareName, bare.CpuPerStreamOpened.TotalMilliseconds));
        result.Add(new Measurement("notifier CPU per event per stream (sampling window)", many.CpuPerFrame.TotalMicroseconds, "µs", bareName, bare.CpuPerFrame.TotalMicroseconds));
        result.Add(new Measurement($"time to open {profile.ManyStreams:N0} streams", many.Opening.TotalSeconds, "s"));
        result.Latencies.Add(new LatencySeries("1 stream", false, single.Latency));
        result.Latencies.Add(new LatencySeries($"{profile.ManyStreams:N0} streams", false, many.Latency));
        result.Latencies.Add(new LatencySeries($"{profile.ManyStreams:N0} streams, cancel during a report's fan-out", false, overlapping.Latency));
        result.Latencies.Add(new LatencySeries(bareName, true, bare.Latency));
        result.Notes.Add($"Samples: {single.Latency.Count} events on 1 stream, {many.Latency.Count:N0} on {profile.ManyStreams:N0} streams (every live event of a job reporting " +
            $"progress twice a second, and its cancel, on every stream). The cancel lands {CancelBetweenReports.TotalMilliseconds:0} ms after one of the job's reports, when that report has reached " +
            $"every stream, and in the second sample {CancelDuringReport.TotalMilliseconds:0} ms after one, while the report is still being written to the streams. The client reading all the streams shares the 2 cores with the notifier: " +
            "each stream is a socket of its own read with a minimal HTTP/1.1 chunked and SSE reader, not HttpClient and SseParser (they cost the client about as much CPU per event as the fan-out costs the server).");
        result.Notes.Add($"Baseline: the fan-out ceiling of this machine. A child process where Kestrel holds {profile.ManyStreams:N0} streams (the same client) and " +
            "writes one pre-encoded frame of the same size to each of them twice a second, stamped at the fan-out: no authentication, database, Redis, " +
            "per-stream queue or event pipeline before it. Same memory and CPU measures, workstation GC like the notifier.");
        result.Notes.Add("Memory per stream = notifier VmRSS once the streams are open (their job still queued) − before opening them, ÷ streams (GC heap growth included).");
        result.Notes.Add("CPU = the notifier's user + system time (/proc/PID/stat) while the streams opened, ÷ streams, and during the sampling window, ÷ events received " +
            "by all streams: what the work costs the notifier however loaded the machine is.");
        if (!atScale)
        {
            result.Notes.Add("The targets at 10,000 streams apply to the full run only.");
        }
    }

    private static async Task<Sampled> SampleAsync(
        BenchContext context, TenantApi tenant, int streamCount, TimeSpan cancelPhase, CancellationToken cancellationToken, bool warmUpStreamEnds = false)
    {
        // The job waits in the queue (workers paused, not stopped: a restarted worker would cancel the job through
        // code the JIT has not compiled yet, beside the fan-out being measured) while the streams open, however long
        // that takes on a loaded machine, and starts once they are all open.
        await context.Topology.PauseWorkersAsync(cancellationToken);
        try
        {
            var jobId = await tenant.SubmitAsync(SteadyJob, cancellationToken);
            return await OpenAndSampleAsync(
                context.Topology.NotifierProcessId,
                streamCount,
                ct => SocketSseReader.OpenAsync(tenant.JobEventsUrl(jobId), tenant.ApiKey, ct),
                afterOpening: async () =>
                {
                    if (warmUpStreamEnds)
                    {
                        await context.Console.StepAsync(
                            $"warm-up: {context.Profile.StreamEndWarmupRounds} × {context.Profile.StreamEndWarmupStreams:N0} unrecorded streams ended by their job's cancel",
                            TimeSpan.FromSeconds(context.Profile.StreamEndWarmupRounds * (1 + (context.Profile.StreamEndWarmupStreams / 500.0))),
                            () => WarmUpStreamEndsAsync(context, tenant, cancellationToken));

                        // The JIT recompiles what the rounds ran hot in the background, a step per 100 ms quiet: let it finish.
                        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                    }

                    await context.Topology.ResumePausedWorkersAsync();
                    await context.Database.WaitForJobAsync(jobId, j => j.State == "running", "running", TimeSpan.FromSeconds(120), cancellationToken);
                    await Task.Delay(JobSettling, cancellationToken);
                },
                sample: async streams =>
                {
                    await Task.Delay(context.Profile.EventWindow, cancellationToken);
                    await WaitForReportPhaseAsync(streams.First(), cancelPhase, cancellationToken);
                    await CancelAndAwaitStreamEndsAsync(tenant, jobId, streams, cancellationToken);
                },
                cancellationToken);
        }
        finally
        {
            await context.Topology.ResumePausedWorkersAsync();
        }
    }

    /// <summary>The same measures on <see cref="BareSseServerChild"/>: opened, left idle, then sampled for the event window.</summary>
    private static async Task<Sampled> SampleBareFanOutAsync(BenchContext context, int streamCount, CancellationToken cancellationToken)
    {
        await using var server = await BaselineProcess.StartAsync(BareSseServerChild.Command, BareSseServerChild.ReadyPrefix,
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }, cancellationToken);
        var url = new Uri(new Uri(server.ReadyText), BareSseServerChild.StreamPath);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return await OpenAndSampleAsync(
            server.ProcessId,
            streamCount,
            ct => SocketSseReader.OpenAsync(url, "bare", ct),
            afterOpening: () => Task.CompletedTask,
            sample: _ => Task.Delay(context.Profile.EventWindow, cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// Opens <paramref name="streamCount"/> streams on the server in process <paramref name="processId"/> and reads its
    /// resident memory before and once they are open (before <paramref name="afterOpening"/>), its CPU while they
    /// open and during <paramref name="sample"/>, and the latency of every event that occurred from the start of
    /// <paramref name="sample"/> on.
    /// </summary>
    private static async Task<Sampled> OpenAndSampleAsync(
        int processId,
        int streamCount,
        Func<CancellationToken, Task<SocketSseReader>> open,
        Func<Task> afterOpening,
        Func<IReadOnlyCollection<SocketSseReader>, Task> sample,
        CancellationToken cancellationToken)
    {
        var residentBefore = ProcessMemory.ResidentKilobytes(processId);
        var cpuBefore = ProcessCpu.Used(processId);
        var opening = System.Diagnostics.Stopwatch.StartNew();
        var streams = new ConcurrentBag<SocketSseReader>();
        try
        {
            await OpenStreamsAsync(streamCount, open, streams, cancellationToken);

            opening.Stop();
            var cpuOpening = ProcessCpu.Used(processId) - cpuBefore;
            // Let the connect burst's allocations settle before reading the server's memory.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var residentWith = ProcessMemory.ResidentKilobytes(processId);
            await afterOpening();

            var sampleFrom = DateTimeOffset.UtcNow;
            var cpuSampleFrom = ProcessCpu.Used(processId);
            await sample(streams);
            var cpuSampling = ProcessCpu.Used(processId) - cpuSampleFrom;
            var sampled = streams.SelectMany(s => s.Snapshot().Where(e => e.OccurredAt >= sampleFrom)).ToList();
            await WriteEventsCsvAsync(sampled, streamCount, cancellationToken);
            var latencies = sampled.ConvertAll(e => e.LatencyMilliseconds);
            return new Sampled(
                LatencySummary.Of(latencies), residentBefore, residentWith, (residentWith - residentBefore) / (double)streamCount,
                opening.Elapsed, cpuOpening / streamCount, cpuSampling / Math.Max(1, latencies.Count));
        }
        finally
        {
            await CloseAllAsync(streams);
        }
    }

    /// <summary>
    /// With <c>BENCH_EVENTS_CSV=PREFIX</c>, every sampled event of every stream goes to <c>PREFIX-STREAMS-TICKS.csv</c>
    /// (type, id, live, occurred and received in UTC ticks, latency in ms), to take a sample apart burst by burst.
    /// </summary>
    private static async Task WriteEventsCsvAsync(IReadOnlyList<ReceivedEvent> sampled, int streamCount, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("BENCH_EVENTS_CSV") is not { Length: > 0 } prefix)
        {
            return;
        }

        var rows = sampled.Select(e => string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{e.Type},{e.Id},{e.Live},{e.OccurredAt.UtcTicks},{e.ReceivedAt.UtcTicks},{e.LatencyMilliseconds:F2}"));
        await File.WriteAllLinesAsync($"{prefix}-{streamCount}-{DateTime.UtcNow.Ticks}.csv", rows, cancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="phase"/> after one of the job's reports (from when the last one on
    /// <paramref name="stream"/> occurred, a report interval apart), so the cancel lands at the same point of the cycle in every run.
    /// </summary>
    private static async Task WaitForReportPhaseAsync(SocketSseReader stream, TimeSpan phase, CancellationToken cancellationToken)
    {
        var due = stream.Snapshot().Last(e => e.Type == "job.progress").OccurredAt + phase;
        while (due < DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(20))
        {
            due += ReportInterval;
        }

        await Task.Delay(due - DateTimeOffset.UtcNow, cancellationToken);
    }

    /// <summary>
    /// Rounds of streams on a job of their own, each round ended by the job's cancel; nothing recorded. It runs while the
    /// sampled streams are open, after their memory is read (the rounds leave heap behind) and before their job starts.
    /// </summary>
    private static async Task WarmUpStreamEndsAsync(BenchContext context, TenantApi tenant, CancellationToken cancellationToken)
    {
        for (var round = 0; round < context.Profile.StreamEndWarmupRounds; round++)
        {
            var jobId = await tenant.SubmitAsync(SteadyJob, cancellationToken);
            var streams = new ConcurrentBag<SocketSseReader>();
            try
            {
                await OpenStreamsAsync(context.Profile.StreamEndWarmupStreams, ct => SocketSseReader.OpenAsync(tenant.JobEventsUrl(jobId), tenant.ApiKey, ct), streams, cancellationToken);
                await CancelAndAwaitStreamEndsAsync(tenant, jobId, streams, cancellationToken);
            }
            finally
            {
                await CloseAllAsync(streams);
            }
        }
    }

    /// <summary>Opens <paramref name="streamCount"/> streams into <paramref name="streams"/>, each live (its first event received).</summary>
    private static Task OpenStreamsAsync(int streamCount, Func<CancellationToken, Task<SocketSseReader>> open, ConcurrentBag<SocketSseReader> streams, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, streamCount), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            var stream = await open(ct);
            streams.Add(stream);
            await stream.Connected.WaitAsync(TimeSpan.FromSeconds(60), ct);
        });

    private static Task CloseAllAsync(IEnumerable<SocketSseReader> streams) =>
        Parallel.ForEachAsync(streams, CancellationToken.None, (stream, _) => stream.DisposeAsync());

    private static async Task CancelAndAwaitStreamEndsAsync(TenantApi tenant, Guid jobId, IReadOnlyCollection<SocketSseReader> streams, CancellationToken cancellationToken)
    {
        var cancelled = await tenant.CancelAsync(jobId, cancellationToken);
        if ((int)cancelled >= 300)
        {
            throw new InvalidOperationException($"Cancelling job {jobId} answered {(int)cancelled}.");
        }

        // Each stream ends after the job's terminal event. Waiting for that costs the client nothing per stream, where a
        // waiter per stream (a timer and a continuation each) loaded the same 2 cores during the very fan-out being
        // measured, and only for the terminal event.
        await Task.WhenAll(streams.Select(s => s.Completion)).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        if (streams.Count(s => !s.Snapshot().Any(e => e.IsTerminal)) is var unfinished and > 0)
        {
            throw new InvalidOperationException($"{unfinished} of {streams.Count} streams ended without the job's terminal event.");
        }
    }

    private sealed record Sampled(
        LatencySummary Latency, long ResidentKilobytesBefore, long ResidentKilobytesWithStreams, double KilobytesPerStream,
        TimeSpan Opening, TimeSpan CpuPerStreamOpened, TimeSpan CpuPerFrame);
}
