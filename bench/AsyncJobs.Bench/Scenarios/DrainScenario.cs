using System.Diagnostics;
using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Events;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// N trivial jobs through accept → run → succeeded → event delivered, with 1 and 2 worker processes, next to
/// plain Hangfire draining N jobs in the same run; and what each job costs PostgreSQL in both.
/// </summary>
public sealed class DrainScenario : IScenario
{
    private static readonly string[] AsyncJobsSchemas = ["public", "hangfire"];
    private static readonly string[] HangfireSchemas = [BaselineHangfire.Schema];

    public string Name => "drain";

    public string Title => "Drain: trivial jobs accepted → succeeded";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var jobs = context.Profile.DrainJobs;
        var oneWorker = await DrainAsyncJobsAsync(context, workers: 1, cancellationToken);
        await context.Console.StepAsync("starting a second worker process", TimeSpan.FromSeconds(4), () => context.Topology.StartExtraWorkerAsync(cancellationToken));
        Drained twoWorkers;
        try
        {
            twoWorkers = await DrainAsyncJobsAsync(context, workers: 2, cancellationToken);
        }
        finally
        {
            await context.Topology.StopExtraWorkerAsync();
        }

        var hangfire = await DrainHangfireAsync(context, cancellationToken);

        const string baseline = "plain Hangfire";
        result.Add(new Measurement("jobs/s, 1 worker (first start → last finish)", oneWorker.ExecutionRate, "/s", baseline, hangfire.ExecutionRate, IssueTargets.Drain));
        result.Add(new Measurement("jobs/s, 2 workers (first start → last finish)", twoWorkers.ExecutionRate, "/s", baseline, hangfire.ExecutionRate));
        result.Add(new Measurement("jobs/s, 1 worker, end to end", oneWorker.EndToEndRate, "/s", baseline, hangfire.EndToEndRate,
            Note: "AsyncJobs: first POST → last job.succeeded received on SSE; Hangfire: first Enqueue → last Succeeded seen"));
        result.Add(new Measurement("jobs/s, 2 workers, end to end", twoWorkers.EndToEndRate, "/s", baseline, hangfire.EndToEndRate));
        result.Add(new Measurement("commits per job (write transactions), 1 worker", oneWorker.WriteTransactionsPerJob, "", baseline, hangfire.WriteTransactionsPerJob));
        result.Add(new Measurement("WAL per job, 1 worker", oneWorker.WalBytesPerJob / 1024, "KB", baseline, hangfire.WalBytesPerJob / 1024));
        var delayedCountersSettled = context.Profile.StatisticsSettle >= TimeSpan.FromSeconds(10);
        if (delayedCountersSettled)
        {
            result.Add(new Measurement("all transactions per job (read-only included), 1 worker", oneWorker.TransactionsPerJob, "", baseline, hangfire.TransactionsPerJob));
            result.Add(new Measurement("row writes per job, 1 worker", oneWorker.RowWritesPerJob, "", baseline, hangfire.RowWritesPerJob));
        }
        else
        {
            result.Notes.Add("All transactions and row writes per job are left out of the short run: idle backends report them up to 10 s late.");
        }

        if (oneWorker.StatementsPerJob is not null || hangfire.StatementsPerJob is not null)
        {
            result.Add(new Measurement("statements per job, 1 worker", oneWorker.StatementsPerJob, "", baseline, hangfire.StatementsPerJob));
        }
        else
        {
            result.Notes.Add("Statements per job: pg_stat_statements is not loaded here (not in shared_preload_libraries), so none are counted.");
        }

        result.Throughputs.Add(new ThroughputBar("first start → last finish", "AsyncJobs, 1 worker", false, oneWorker.ExecutionRate));
        result.Throughputs.Add(new ThroughputBar("first start → last finish", "AsyncJobs, 2 workers", false, twoWorkers.ExecutionRate));
        result.Throughputs.Add(new ThroughputBar("first start → last finish", "plain Hangfire", true, hangfire.ExecutionRate));
        result.Throughputs.Add(new ThroughputBar("end to end", "AsyncJobs, 1 worker", false, oneWorker.EndToEndRate));
        result.Throughputs.Add(new ThroughputBar("end to end", "AsyncJobs, 2 workers", false, twoWorkers.EndToEndRate));
        result.Throughputs.Add(new ThroughputBar("end to end", "plain Hangfire", true, hangfire.EndToEndRate));
        result.Notes.Add($"{jobs:N0} trivial jobs each, submitted by {context.Profile.BurstClients} clients, after {context.Profile.DrainWarmupJobs:N0} unrecorded ones " +
            "(the JIT's warm-up). The ratio that counts is first start → last finish: plain Hangfire's end-to-end time includes up to 15 s before its idle workers' next poll.");
        result.Notes.Add($"Plain Hangfire: one server process, {context.Profile.HangfireWorkerCount} workers (as the AsyncJobs worker), default storage options. " +
            "AsyncJobs counts its tables and Hangfire's (schemas public, hangfire); the baseline its own schema.");
        result.Notes.Add("Per job, minus what the idle topology does in the same time (measured just before, after a VACUUM and a CHECKPOINT so both sides start alike). Commits = transaction ids assigned " +
            "(every write transaction, each one WAL flush; exact); WAL = bytes of write-ahead log; all transactions = pg_stat_database.xact_commit; " +
            "row writes = pg_stat_user_tables inserts + updates + deletes.");
    }

    private static async Task<Drained> DrainAsyncJobsAsync(BenchContext context, int workers, CancellationToken cancellationToken)
    {
        var jobs = context.Profile.DrainJobs;
        var plural = workers == 1 ? "" : "s";
        var warmup = await context.Topology.CreateTenantAsync($"drain-warmup-{workers}w", cancellationToken);
        await context.Console.StepAsync($"warm-up, {workers} worker{plural}: {context.Profile.DrainWarmupJobs:N0} unrecorded jobs", TimeSpan.FromSeconds(context.Profile.DrainWarmupJobs / 100.0),
            () => SubmitAndFinishAsync(context, warmup, context.Profile.DrainWarmupJobs, cancellationToken));

        var tenant = await context.Topology.CreateTenantAsync($"drain-{workers}w", cancellationToken);
        await using var events = await EventSubscription.OpenAsync(context.Topology.Http.Streams, tenant.TenantEventsUrl, tenant.ApiKey, cancellationToken);
        var (idle, before) = await IdleRateAsync(context, AsyncJobsSchemas, cancellationToken);
        var clock = Stopwatch.StartNew();
        var firstSubmit = DateTimeOffset.UtcNow;

        var lastEvent = await context.Console.StepAsync($"AsyncJobs, {workers} worker{plural}: {jobs:N0} jobs", TimeSpan.FromSeconds(jobs / 100.0), async () =>
        {
            await SubmitAndFinishAsync(context, tenant, jobs, cancellationToken);
            return await events.WaitForCountAsync("job.succeeded", jobs, TimeSpan.FromSeconds(30), cancellationToken)
                ?? throw new TimeoutException($"Every job finished, but the tenant's event stream did not deliver {jobs} job.succeeded events within 30 s.");
        });

        var window = await context.Database.WindowAsync(tenant.TenantId, cancellationToken);
        await Task.Delay(context.Profile.StatisticsSettle, cancellationToken);
        var used = (await DatabaseActivity.ReadAsync(context.Database.DataSource, AsyncJobsSchemas, cancellationToken)).Since(before);
        return Drained.From(jobs, (lastEvent.ReceivedAt - firstSubmit).TotalSeconds, window.FirstStartToLastFinish!.Value.TotalSeconds, used, idle, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Submits <paramref name="jobs"/> trivial jobs from the burst's clients and waits until all of them finished.</summary>
    private static async Task SubmitAndFinishAsync(BenchContext context, TenantApi tenant, int jobs, CancellationToken cancellationToken)
    {
        var submitted = await ClosedLoop.RunCountAsync(context.Profile.BurstClients, jobs, (_, ct) => tenant.TrySubmitAsync(TenantApi.TrivialJob, ct), cancellationToken);
        if (submitted.Succeeded != jobs)
        {
            throw new InvalidOperationException($"{submitted.Failed} of {jobs} submissions failed (first: {submitted.FirstError ?? "a non-202 answer"}).");
        }

        await context.Database.WaitForAsync(tenant.TenantId, w => w.Finished >= jobs, "finished", TimeSpan.FromSeconds(120 + (jobs / 10.0)), cancellationToken);
    }

    private static async Task<Drained> DrainHangfireAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var jobs = context.Profile.DrainJobs;
        var hangfire = await context.Console.StepAsync("starting plain Hangfire's server (child process)", TimeSpan.FromSeconds(3),
            () => context.StartHangfireServerAsync(cancellationToken));
        await context.Console.StepAsync($"warm-up, plain Hangfire: {context.Profile.DrainWarmupJobs:N0} unrecorded jobs", TimeSpan.FromSeconds((context.Profile.DrainWarmupJobs / 150.0) + 7.5),
            () => EnqueueAndFinishAsync(context, hangfire, new long[context.Profile.DrainWarmupJobs], Stopwatch.StartNew(), cancellationToken));

        var (idle, before) = await IdleRateAsync(context, HangfireSchemas, cancellationToken);
        var clock = Stopwatch.StartNew();
        var ids = new long[jobs];
        var endToEnd = await context.Console.StepAsync($"plain Hangfire: {jobs:N0} jobs", TimeSpan.FromSeconds((jobs / 150.0) + 7.5),
            () => EnqueueAndFinishAsync(context, hangfire, ids, clock, cancellationToken));

        var execution = await hangfire.ExecutionWindowAsync(ids, cancellationToken)
            ?? throw new InvalidOperationException("Hangfire's state history has no Processing/Succeeded rows for the drained jobs.");
        await Task.Delay(context.Profile.StatisticsSettle, cancellationToken);
        var used = (await DatabaseActivity.ReadAsync(context.Database.DataSource, HangfireSchemas, cancellationToken)).Since(before);
        return Drained.From(jobs, endToEnd.TotalSeconds, execution.TotalSeconds, used, idle, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Enqueues one job per slot of <paramref name="ids"/> from the burst's clients; answers <paramref name="clock"/> when all have succeeded.</summary>
    private static async Task<TimeSpan> EnqueueAndFinishAsync(BenchContext context, BaselineHangfire hangfire, long[] ids, Stopwatch clock, CancellationToken cancellationToken)
    {
        await ClosedLoop.RunCountAsync(context.Profile.BurstClients, ids.Length, (index, _) =>
        {
            ids[index] = hangfire.EnqueueNothing();
            return Task.FromResult(true);
        }, cancellationToken);
        var deadline = TimeSpan.FromSeconds(120 + (ids.Length / 10.0));
        while (await hangfire.CountSucceededAsync(ids, cancellationToken) < ids.Length)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Plain Hangfire did not finish {ids.Length} jobs within {deadline.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// What the database does per second with nothing submitted (heartbeats, relay and rescuer sweeps, polling), to
    /// subtract; measured over the statistics settle time, since idle backends report their commits that late, and
    /// after a VACUUM and CHECKPOINT: the warm-up's dead rows would otherwise be vacuumed in the idle window, whose
    /// WAL rate, subtracted over the whole drain, once left plain Hangfire 0 KB of WAL per job.
    /// Answers that rate and the counters at its end, which are the drain's starting point.
    /// </summary>
    private static async Task<(IdleRate Idle, DatabaseActivity End)> IdleRateAsync(BenchContext context, string[] schemas, CancellationToken cancellationToken)
    {
        await context.Database.VacuumAndCheckpointAsync(cancellationToken);
        var window = context.Profile.StatisticsSettle;
        var before = await DatabaseActivity.ReadAsync(context.Database.DataSource, schemas, cancellationToken);
        await Task.Delay(window, cancellationToken);
        var after = await DatabaseActivity.ReadAsync(context.Database.DataSource, schemas, cancellationToken);
        var idle = after.Since(before);
        var seconds = window.TotalSeconds;
        return (new IdleRate(idle.NextTransactionId / seconds, idle.WalBytes / seconds, idle.Commits / seconds, idle.RowWrites / seconds, idle.Statements / seconds), after);
    }

    private sealed record IdleRate(double WriteTransactions, double WalBytes, double Transactions, double RowWrites, double? Statements);

    private sealed record Drained(
        double EndToEndRate, double ExecutionRate, double WriteTransactionsPerJob, double WalBytesPerJob, double TransactionsPerJob, double RowWritesPerJob, double? StatementsPerJob)
    {
        public static Drained From(int jobs, double endToEndSeconds, double executionSeconds, DatabaseActivity used, IdleRate idle, double seconds) => new(
            jobs / endToEndSeconds,
            jobs / executionSeconds,
            PerJob(used.NextTransactionId, idle.WriteTransactions, jobs, seconds),
            PerJob(used.WalBytes, idle.WalBytes, jobs, seconds),
            PerJob(used.Commits, idle.Transactions, jobs, seconds),
            PerJob(used.RowWrites, idle.RowWrites, jobs, seconds),
            used.Statements is { } statements ? PerJob(statements, idle.Statements ?? 0, jobs, seconds) : null);

        // The counters are database-wide: what the idle topology would have done anyway is not the jobs' cost.
        private static double PerJob(long total, double idlePerSecond, int jobs, double seconds) => Math.Max(0, total - (idlePerSecond * seconds)) / jobs;
    }
}
