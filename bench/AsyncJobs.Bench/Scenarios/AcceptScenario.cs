using System.Net;
using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Events;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// Durable accepts per second and 202 latency under closed-loop load at 1, 16 and 64 clients, next to: plain
/// Hangfire Enqueue behind a minimal endpoint, a trivial Kestrel 202 (the HTTP ceiling), a bare PostgreSQL insert
/// per commit (the single-commit ceiling) and the same work done in the request (the problem being solved).
/// </summary>
public sealed class AcceptScenario : IScenario
{
    private const string AsyncJobsLabel = "AsyncJobs";
    private const string DotnetLoad = ".NET HttpClient load";
    private const string HttpClientLoadLabel = $"AsyncJobs, {DotnetLoad}";
    private const string UnderWrk = "AsyncJobs, wrk load";
    private const string HangfireLabel = "Hangfire Enqueue endpoint";
    private const string KestrelLabel = "trivial Kestrel 202";
    private const string InsertLabel = "bare PostgreSQL insert/commit";
    private const string ApiProcess = "API";
    private const string NotifierProcess = "notifier";
    private const string PostgresProcess = "PostgreSQL";
    private const string HarnessProcess = "harness";
    private const string SynchronousLabel = "work done in the request";

    public string Name => "accept";

    public string Title => "Accept: POST /jobs → 202";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var profile = context.Profile;
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);
        await context.Baseline.CreateAsync(cancellationToken);
        await using var kestrel = await TrivialAcceptEndpoint.StartAsync(cancellationToken);
        await using var hangfire = await HangfireEnqueueEndpoint.StartAsync(context.Hangfire, cancellationToken);
        await using var synchronous = await SynchronousWorkEndpoint.StartAsync(profile.SynchronousSteps, profile.SynchronousStepDuration, cancellationToken);
        var body = TenantApi.TrivialJob;
        var warmup = profile.AcceptWarmup;
        var duration = profile.AcceptDuration;
        Func<int, CpuWindow, Task<LoadResult>> Wrk(Uri url, string? bearerKey = null) =>
            (clients, window) => WrkLoad.RunForAsync(url, body, bearerKey, clients, warmup, duration, cancellationToken, window);
        Func<int, CpuWindow, Task<LoadResult>> Loop(Func<CancellationToken, Task<bool>> operation) =>
            (clients, window) => ClosedLoop.RunForAsync(clients, warmup, duration, operation, cancellationToken, window);

        (string Label, Func<int, CpuWindow, Task<LoadResult>> Run)[] targets =
        [
            (AsyncJobsLabel, Wrk(tenant.JobsUrl, tenant.ApiKey)),
            (HttpClientLoadLabel, Loop(ct => tenant.TrySubmitAsync(body, ct))),
            (HangfireLabel, Wrk(hangfire.JobsUrl)),
            (KestrelLabel, Wrk(kestrel.JobsUrl)),
            (InsertLabel, Loop(context.Baseline.InsertJobAsync)),
            (SynchronousLabel, Wrk(synchronous.JobsUrl)),
        ];

        var postmaster = await context.Database.PostmasterProcessIdAsync(cancellationToken);
        var processes = new Dictionary<string, Func<TimeSpan>>(StringComparer.Ordinal)
        {
            [ApiProcess] = () => ProcessCpu.Used(context.Topology.ApiProcessId),
            [NotifierProcess] = () => ProcessCpu.Used(context.Topology.NotifierProcessId),
            [PostgresProcess] = () => ProcessCpu.UsedWithChildren(postmaster),
            // With the wrk runs it has started and waited for.
            [HarnessProcess] = () => ProcessCpu.UsedWithExitedChildren(Environment.ProcessId),
        };

        // The workers would run every accepted job while later levels are measured and for minutes after:
        // accept is measured on the API and PostgreSQL alone; the relay scenario measures the hand-over.
        await context.Topology.StopWorkersAsync();
        try
        {
            foreach (var clients in profile.AcceptConcurrency)
            {
                var measured = new Dictionary<string, LoadResult>();
                var cpu = new Dictionary<string, CpuWindow>();
                foreach (var (label, run) in targets)
                {
                    var window = cpu[label] = new CpuWindow(processes);
                    var load = await context.Console.StepAsync($"{label}, {Clients(clients)}", warmup + duration, () => run(clients, window));
                    measured[label] = load.EnsureSomeSucceeded(label);
                    if (load.Failed > 0)
                    {
                        result.Notes.Add($"{label}, {clients} clients: {load.Failed} failed requests (first: {load.FirstError ?? "a non-success status"}).");
                    }
                }

                Record(result, clients, measured);
                RecordCpu(result, clients, measured, cpu);
            }
        }
        finally
        {
            var retired = await context.Database.RetireQueuedAsync(tenant.TenantId, CancellationToken.None);
            // Hundreds of thousands of retired rows: cleaned now, not by autovacuum while the scenarios after this one measure.
            await context.Database.VacuumAndCheckpointAsync(CancellationToken.None);
            await context.Topology.RestartStoppedWorkersAsync(CancellationToken.None);
            result.Notes.Add($"Workers were stopped while accepting; the {retired:N0} jobs accepted were then retired unrun (bench tenant only), and the database vacuumed.");
        }

        result.Notes.Add($"Closed loop, {profile.AcceptWarmup.TotalSeconds:0.#} s warm-up then {profile.AcceptDuration.TotalSeconds:0.#} s measured per level; " +
            "the load generator and the in-process baselines share the machine's 2 cores with the topology.");
        result.Notes.Add($"HTTP load: wrk (C, one event loop per core) for AsyncJobs and the three HTTP baselines; a request counts when answered below 400. " +
            $"'{DotnetLoad}' rows: the same API driven by the harness's own .NET HttpClient loop (as every run before 2026-12-07 was), " +
            "which costs the shared cores several times wrk's CPU per request.");
        result.Notes.Add($"'{SynchronousLabel}': {profile.SynchronousSteps} awaited steps of {profile.SynchronousStepDuration.TotalMilliseconds:0} ms, the client waits for the whole job.");
        result.Notes.Add($"CPU per accepted job: each process's CPU time (/proc) over the measured {profile.AcceptDuration.TotalSeconds:0.#} s, divided by the answers in it " +
            "(at 1 client mostly the processes' idle background work, spread over few jobs). " +
            $"'{HarnessProcess}' is this process and the wrk runs it started: the load generator, plus the server side of the in-process baselines (the Enqueue endpoint, " +
            "the bare insert's client); 'all measured' adds the API, the notifier, PostgreSQL and the harness (not Redis).");
        result.Notes.Add($"'{InsertLabel}': one job-shaped row (primary key + tenant/time index) per transaction from a connection pool, no HTTP.");
    }

    private static string Clients(int clients) => $"{clients} client{(clients == 1 ? "" : "s")}";

    // What one accepted job costs each process, next to what the baselines cost: where the accept path's CPU goes.
    private static void RecordCpu(ScenarioResult result, int clients, Dictionary<string, LoadResult> measured, Dictionary<string, CpuWindow> cpu)
    {
        var group = Clients(clients);
        var ours = cpu[AsyncJobsLabel];
        var accepted = measured[AsyncJobsLabel].Succeeded;
        double? Of(string label, string? process = null) => cpu[label].MicrosecondsPer(measured[label].Succeeded, process);

        result.Add(new Measurement($"CPU per accepted job, all measured, {group}", ours.MicrosecondsPer(accepted), "µs", HangfireLabel, Of(HangfireLabel)));
        result.Add(new Measurement($"CPU per accepted job, PostgreSQL, {group}", ours.MicrosecondsPer(accepted, PostgresProcess), "µs", HangfireLabel, Of(HangfireLabel, PostgresProcess)));
        result.Add(new Measurement($"CPU per accepted job, PostgreSQL, {group}", ours.MicrosecondsPer(accepted, PostgresProcess), "µs", InsertLabel, Of(InsertLabel, PostgresProcess)));
        result.Add(new Measurement($"CPU per accepted job, API, {group}", ours.MicrosecondsPer(accepted, ApiProcess), "µs"));
        result.Add(new Measurement($"CPU per accepted job, notifier, {group}", ours.MicrosecondsPer(accepted, NotifierProcess), "µs"));
        result.Add(new Measurement($"CPU per accepted job, {HarnessProcess}, {group}", ours.MicrosecondsPer(accepted, HarnessProcess), "µs", KestrelLabel, Of(KestrelLabel, HarnessProcess)));
        result.Add(new Measurement($"CPU per accepted job, {HarnessProcess}, {group}, {DotnetLoad}", Of(HttpClientLoadLabel, HarnessProcess), "µs", UnderWrk, ours.MicrosecondsPer(accepted, HarnessProcess)));
    }

    private static void Record(ScenarioResult result, int clients, Dictionary<string, LoadResult> measured)
    {
        var ours = measured[AsyncJobsLabel];
        var group = Clients(clients);
        var rate = $"accepts/s, {group}";
        result.Add(new Measurement(rate, ours.PerSecond, "/s", HangfireLabel, measured[HangfireLabel].PerSecond, clients == 64 ? IssueTargets.AcceptRateAt64 : null));
        result.Add(new Measurement(rate, ours.PerSecond, "/s", KestrelLabel, measured[KestrelLabel].PerSecond));
        result.Add(new Measurement(rate, ours.PerSecond, "/s", InsertLabel, measured[InsertLabel].PerSecond));
        result.Add(new Measurement(rate, ours.PerSecond, "/s", SynchronousLabel, measured[SynchronousLabel].PerSecond));

        var theirs = measured[HangfireLabel].Latency;
        result.Add(new Measurement($"202 p50, {group}", ours.Latency.P50, "ms", HangfireLabel, theirs.P50));
        result.Add(new Measurement($"202 p95, {group}", ours.Latency.P95, "ms", HangfireLabel, theirs.P95));
        result.Add(new Measurement($"202 p99, {group}", ours.Latency.P99, "ms", HangfireLabel, theirs.P99, clients == 16 ? IssueTargets.AcceptP99At16 : null));
        result.Add(new Measurement($"answer p50, {group}", ours.Latency.P50, "ms", SynchronousLabel, measured[SynchronousLabel].Latency.P50));

        // The same API driven by the harness's own .NET client: how much the load generator moves the figures.
        var dotnetLoad = measured[HttpClientLoadLabel];
        result.Add(new Measurement($"accepts/s, {group}, {DotnetLoad}", dotnetLoad.PerSecond, "/s", UnderWrk, ours.PerSecond));
        result.Add(new Measurement($"202 p99, {group}, {DotnetLoad}", dotnetLoad.Latency.P99, "ms", UnderWrk, ours.Latency.P99));

        foreach (var (label, load) in measured.Where(m => m.Key != HttpClientLoadLabel))
        {
            result.Throughputs.Add(new ThroughputBar(group, label, label != AsyncJobsLabel, load.PerSecond));
            result.Latencies.Add(new LatencySeries($"{label} · {clients}", label != AsyncJobsLabel, load.Latency));
        }
    }
}
