using Hangfire;

namespace AsyncJobs.Bench;

/// <summary>How much each scenario does: the full run measures, the short run only proves every path still works.</summary>
public sealed record BenchProfile
{
    public static BenchProfile FullRun { get; } = new()
    {
        Name = "full",
        SettleTimeout = TimeSpan.FromMinutes(3),
        AcceptWarmup = TimeSpan.FromSeconds(3),
        AcceptDuration = TimeSpan.FromSeconds(15),
        RelayBurst = 5_000,
        PickupWarmupJobs = 100,
        PickupIdleSamples = 100,
        HangfirePickupIdleSamples = 20,
        PickupIdleGap = TimeSpan.FromMilliseconds(250),
        PickupLoadDuration = TimeSpan.FromSeconds(20),
        DrainJobs = 5_000,
        DrainWarmupJobs = 1_000,
        StatisticsSettle = TimeSpan.FromSeconds(11),
        EventWindow = TimeSpan.FromSeconds(10),
        ManyStreams = 10_000,
        StreamEndWarmupStreams = 1_000,
        ProgressSteps = 1_000,
        CancelTrials = 20,
        RecoveryTrials = 5,
        WebhookJobs = 2_000,
    };

    public static BenchProfile ShortRun { get; } = new()
    {
        Name = "short",
        SettleTimeout = TimeSpan.Zero,
        AcceptWarmup = TimeSpan.FromMilliseconds(300),
        AcceptDuration = TimeSpan.FromSeconds(1.5),
        RelayBurst = 300,
        PickupWarmupJobs = 2,
        PickupIdleSamples = 8,
        HangfirePickupIdleSamples = 2,
        PickupIdleGap = TimeSpan.FromMilliseconds(100),
        PickupLoadDuration = TimeSpan.FromSeconds(3),
        DrainJobs = 200,
        DrainWarmupJobs = 20,
        StatisticsSettle = TimeSpan.FromSeconds(1.5),
        EventWindow = TimeSpan.FromSeconds(2),
        ManyStreams = 100,
        StreamEndWarmupStreams = 20,
        ProgressSteps = 200,
        CancelTrials = 2,
        RecoveryTrials = 1,
        WebhookJobs = 100,
    };

    public required string Name { get; init; }

    /// <summary>
    /// How long the run waits, before it starts, for the 1-minute load average to fall below <see cref="QuietLoadAverage"/>:
    /// a run started right after another inherits its load (the average decays over minutes) and reads noisy.
    /// </summary>
    public required TimeSpan SettleTimeout { get; init; }

    public const double QuietLoadAverage = 1.0;

    public int[] AcceptConcurrency { get; init; } = [1, 16, 64];

    /// <summary>Closed-loop load runs this long before latencies are recorded (connections, JIT, pools).</summary>
    public required TimeSpan AcceptWarmup { get; init; }

    public required TimeSpan AcceptDuration { get; init; }

    /// <summary>What the synchronous baseline does in the request: a modest slow job (5 steps of 100 ms, like demo.simulate).</summary>
    public int SynchronousSteps { get; init; } = 5;

    public TimeSpan SynchronousStepDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    public required int RelayBurst { get; init; }

    public int BurstClients { get; init; } = 16;

    /// <summary>
    /// Picked up one at a time and not recorded before the idle samples, as the accept levels warm up first: with
    /// <c>--only pickup</c> the services have just started, and their first jobs run through code the JIT has not
    /// finished (60 jobs right after a start measured p50 42 ms, the next 60 24 ms). In a full run the relay scenario
    /// before it restarts the worker. 100, not 20: a method is recompiled optimized only after 30 calls, and with
    /// dynamic PGO twice (instrumented, then optimized), so 20 jobs left the first recorded ones on unfinished code.
    /// </summary>
    public required int PickupWarmupJobs { get; init; }

    public required int PickupIdleSamples { get; init; }

    /// <summary>Fewer: with Hangfire's default 15 s poll every sample takes seconds.</summary>
    public required int HangfirePickupIdleSamples { get; init; }

    public required TimeSpan PickupIdleGap { get; init; }

    /// <summary>Open-loop submissions during "pickup under load": well under one worker's drain rate (TOOLCHAIN.md: 126–164/s).</summary>
    public double PickupLoadRate { get; init; } = 50;

    public required TimeSpan PickupLoadDuration { get; init; }

    public required int DrainJobs { get; init; }

    /// <summary>
    /// Drained unrecorded before each measured drain (AsyncJobs with one worker, with two, plain Hangfire), as the
    /// accept levels and the pickup samples warm up first: a `perf` profile 8–18 s into a drain on just-started
    /// services put 14% of the machine in the JIT, tiering up the job path of the worker, the API and the notifier.
    /// </summary>
    public required int DrainWarmupJobs { get; init; }

    /// <summary>Hangfire's plain server runs as many workers as the AsyncJobs worker does by default: Hangfire's own default.</summary>
    public int HangfireWorkerCount { get; init; } = new BackgroundJobServerOptions().WorkerCount;

    /// <summary>
    /// PostgreSQL 15 flushes an idle backend's statistics up to 10 s late (PGSTAT_IDLE_INTERVAL), so commit counts
    /// are read this long after a drain; the short run's shorter wait makes them a lower bound.
    /// </summary>
    public required TimeSpan StatisticsSettle { get; init; }

    /// <summary>How long live events are sampled per stream set.</summary>
    public required TimeSpan EventWindow { get; init; }

    public required int ManyStreams { get; init; }

    /// <summary>
    /// Streams per unrecorded round (<see cref="StreamEndWarmupRounds"/> of them) that end with their job's cancel
    /// before the many-stream sample starts (its streams open and their memory read, its job still queued), as the
    /// accept levels and the pickup samples warm up first: the sample's last burst ends every stream, and on a
    /// just-started notifier that is the first time the end of a stream runs at scale. A `perf` profile of that burst
    /// put 12% of the notifier's samples in the JIT's tiering thread, and the burst used twice the CPU of a progress
    /// burst to the same 10,000 streams.
    /// </summary>
    public required int StreamEndWarmupStreams { get; init; }

    /// <summary>Tier-0 code, then (dynamic PGO) instrumented code, then optimized code: each step needs calls of its own.</summary>
    public int StreamEndWarmupRounds { get; init; } = 3;

    /// <summary>A progress job's steps, 10 ms each: 100 reports per second.</summary>
    public required int ProgressSteps { get; init; }

    public required int CancelTrials { get; init; }

    public required int RecoveryTrials { get; init; }

    public required int WebhookJobs { get; init; }
}
