using System.Collections.Concurrent;
using System.Diagnostics;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// accepted → running (jobs.started_at − created_at) at idle (one job at a time, with gaps) and under a steady
/// open-loop load, next to plain Hangfire with default polling, enqueued from this process and run by a server
/// in another one (same-process enqueue wakes workers in memory and would look instant).
/// </summary>
public sealed class PickupScenario : IScenario
{
    private static readonly TimeSpan HangfireDeadline = TimeSpan.FromSeconds(60);

    public string Name => "pickup";

    public string Title => "Pickup: accepted → running";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var profile = context.Profile;
        // The baseline's probes record their start in the harness's tables: create them, as the accept scenario
        // does, so `--only pickup` runs on its own.
        await context.Baseline.CreateAsync(cancellationToken);
        // The warm-up jobs have a tenant of their own, so the idle tenant's rows are the recorded samples alone.
        var warmupTenant = await context.Topology.CreateTenantAsync("pickup-warmup", cancellationToken);
        var idleTenant = await context.Topology.CreateTenantAsync("pickup-idle", cancellationToken);
        var idle = await context.Console.StepAsync($"AsyncJobs at idle: {profile.PickupIdleSamples} jobs one at a time",
            profile.PickupIdleGap * profile.PickupIdleSamples * 1.2, async () =>
            {
                for (var i = 0; i < profile.PickupWarmupJobs; i++)
                {
                    await context.Database.WaitForPickupAsync(await warmupTenant.SubmitAsync(TenantApi.TrivialJob, cancellationToken), TimeSpan.FromSeconds(30), cancellationToken);
                }

                var samples = new List<double>();
                for (var i = 0; i < profile.PickupIdleSamples; i++)
                {
                    var jobId = await idleTenant.SubmitAsync(TenantApi.TrivialJob, cancellationToken);
                    samples.Add(await context.Database.WaitForPickupAsync(jobId, TimeSpan.FromSeconds(30), cancellationToken));
                    await Task.Delay(profile.PickupIdleGap, cancellationToken);
                }

                return LatencySummary.Of(samples);
            });

        var idleHandOver = LatencySummary.Of(await context.Database.HandOverLagsAsync(idleTenant.TenantId, cancellationToken));
        var idleHandedOverToRunning = LatencySummary.Of(await context.Database.HandedOverToStartedAsync(idleTenant.TenantId, cancellationToken));

        var loadTenant = await context.Topology.CreateTenantAsync("pickup-load", cancellationToken);
        var underLoad = await context.Console.StepAsync($"AsyncJobs under load: {profile.PickupLoadRate:0} jobs/s for {profile.PickupLoadDuration.TotalSeconds:0} s",
            profile.PickupLoadDuration, async () =>
            {
                var submitted = await OpenLoop.RunAsync(profile.PickupLoadRate, profile.PickupLoadDuration,
                    (_, ct) => loadTenant.SubmitAsync(TenantApi.TrivialJob, ct), cancellationToken);
                await context.Database.WaitForAsync(loadTenant.TenantId, w => w.Started >= submitted, "started", TimeSpan.FromSeconds(120), cancellationToken);
                return LatencySummary.Of(await context.Database.PickupLatenciesAsync(loadTenant.TenantId, cancellationToken));
            });

        var hangfire = await context.Console.StepAsync("starting plain Hangfire's server (child process)", TimeSpan.FromSeconds(3),
            () => context.StartHangfireServerAsync(cancellationToken));
        var hangfireIdle = await context.Console.StepAsync($"plain Hangfire at idle: {profile.HangfirePickupIdleSamples} jobs one at a time (default 15 s polling)",
            TimeSpan.FromSeconds(7.5 * profile.HangfirePickupIdleSamples), async () =>
            {
                var samples = new List<double>();
                for (var i = 0; i < profile.HangfirePickupIdleSamples; i++)
                {
                    var probe = Guid.NewGuid();
                    var enqueuedAt = DateTimeOffset.UtcNow;
                    hangfire.EnqueuePickupProbe(probe);
                    var startedAt = await WaitForProbeAsync(context, probe, cancellationToken);
                    samples.Add((startedAt - enqueuedAt).TotalMilliseconds);
                    await Task.Delay(profile.PickupIdleGap, cancellationToken);
                }

                return LatencySummary.Of(samples);
            });

        var hangfireUnderLoad = await context.Console.StepAsync($"plain Hangfire under load: {profile.PickupLoadRate:0} jobs/s for {profile.PickupLoadDuration.TotalSeconds:0} s",
            profile.PickupLoadDuration + TimeSpan.FromSeconds(7.5), async () =>
            {
                var enqueuedAt = new ConcurrentDictionary<Guid, DateTimeOffset>();
                await OpenLoop.RunAsync(profile.PickupLoadRate, profile.PickupLoadDuration, (_, _) =>
                {
                    var probe = Guid.NewGuid();
                    enqueuedAt[probe] = DateTimeOffset.UtcNow;
                    hangfire.EnqueuePickupProbe(probe);
                    return Task.CompletedTask;
                }, cancellationToken);
                var started = await WaitForProbesAsync(context, [.. enqueuedAt.Keys], cancellationToken);
                return LatencySummary.Of(started.Select(s => (s.Value - enqueuedAt[s.Key]).TotalMilliseconds));
            });

        const string baseline = "plain Hangfire, default polling";
        result.Add(new Measurement("idle p50", idle.P50, "ms", baseline, hangfireIdle.P50, IssueTargets.PickupIdleP50));
        result.Add(new Measurement("idle p95", idle.P95, "ms", baseline, hangfireIdle.P95));
        result.Add(new Measurement("idle p99", idle.P99, "ms", baseline, hangfireIdle.P99, IssueTargets.PickupIdleP99));
        result.Add(new Measurement("idle p50, accepted → handed over", idleHandOver.P50, "ms"));
        result.Add(new Measurement("idle p50, handed over → running", idleHandedOverToRunning.P50, "ms"));
        result.Add(new Measurement($"under load ({profile.PickupLoadRate:0}/s) p50", underLoad.P50, "ms", baseline, hangfireUnderLoad.P50));
        result.Add(new Measurement($"under load ({profile.PickupLoadRate:0}/s) p95", underLoad.P95, "ms", baseline, hangfireUnderLoad.P95));
        result.Add(new Measurement($"under load ({profile.PickupLoadRate:0}/s) p99", underLoad.P99, "ms", baseline, hangfireUnderLoad.P99));
        result.Latencies.Add(new LatencySeries("AsyncJobs idle", false, idle));
        result.Latencies.Add(new LatencySeries("Hangfire idle", true, hangfireIdle));
        result.Latencies.Add(new LatencySeries("AsyncJobs under load", false, underLoad));
        result.Latencies.Add(new LatencySeries("Hangfire under load", true, hangfireUnderLoad));
        result.Notes.Add($"Samples: AsyncJobs {idle.Count} idle (after {profile.PickupWarmupJobs} unrecorded warm-up jobs) / {underLoad.Count} under load; Hangfire {hangfireIdle.Count} idle / {hangfireUnderLoad.Count} under load " +
            "(fewer at idle: with its default 15 s poll each takes seconds). Hangfire's latency runs from just before Enqueue to the job's first statement.");
    }

    private static async Task<DateTimeOffset> WaitForProbeAsync(BenchContext context, Guid probe, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await context.Baseline.PickupStartedAtAsync(probe, cancellationToken) is { } startedAt)
            {
                return startedAt;
            }

            if (clock.Elapsed > HangfireDeadline)
            {
                throw new TimeoutException($"Plain Hangfire did not run probe {probe} within {HangfireDeadline.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> WaitForProbesAsync(BenchContext context, Guid[] probes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var started = await context.Baseline.PickupsAsync(probes, cancellationToken);
            if (started.Count == probes.Length)
            {
                return started;
            }

            if (clock.Elapsed > HangfireDeadline)
            {
                throw new TimeoutException($"Plain Hangfire ran {started.Count} of {probes.Length} probes within {HangfireDeadline.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
