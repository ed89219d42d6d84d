using AsyncJobs.Worker.Hangfire;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Stranding;

/// <summary>
/// Hangfire.PostgreSql with long polling can leave a dequeued job unexecuted, and loses its wake-ups when its LISTEN
/// connection drops (TOOLCHAIN.md; Hangfire.PostgreSql #410). The worker long-polls through its own job queue (one
/// LISTEN per process, no thread waiting on a listener of its own), and AsyncJobs' job row is the truth: its rescuer
/// hands a job that did not start over again. Every accepted job ends, and each runs exactly once.
/// </summary>
[Collection(StrandingCollectionDefinition.Name)]
public sealed class NoStrandedJobTests(StrandingTopologyFixture fixture)
{
    private const int Rounds = 3;
    private const int JobsPerRound = 1_500;

    // Generous for a loaded 2-core machine: each round drains in well under a minute when the machine is quiet.
    private static readonly TimeSpan RoundDeadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Repeated_drains_with_long_polling_finish_every_job_exactly_once()
    {
        using var api = fixture.ApiClient();
        for (var round = 1; round <= Rounds; round++)
        {
            using var deadline = StartDeadline(RoundDeadline);
            var drain = new TrivialJobDrain(api, fixture.Topology.JobsDbConnectionString, JobsPerRound);
            await drain.SubmitAsync(deadline.Token);
            var states = await drain.WaitUntilAllFinishedAsync(onProgress: null, deadline.Token);
            Report($"round {round}: {JobsPerRound} jobs submitted in {drain.Submitted.TotalSeconds:0.0} s, all finished after {drain.Finished.TotalSeconds:0.0} s");

            await ShouldHaveRunEachExactlyOnceAsync(drain, states, deadline.Token);
        }

        Report($"stranded jobs rescued (handed over again) during the drains: {RescuedNotStarted()}");
    }

    [Fact]
    public async Task A_drain_whose_listen_connections_are_terminated_midway_still_finishes_every_job_exactly_once()
    {
        using var api = fixture.ApiClient();
        using var deadline = StartDeadline(RoundDeadline);
        var drain = new TrivialJobDrain(api, fixture.Topology.JobsDbConnectionString, JobsPerRound);
        var terminated = new List<string>();
        var marks = new Queue<long>([JobsPerRound / 4, JobsPerRound / 2, JobsPerRound * 3 / 4]);

        await drain.SubmitAsync(deadline.Token);
        var states = await drain.WaitUntilAllFinishedAsync(
            async finished =>
            {
                // At each mark, and until one is caught there, cut the worker's LISTEN connections (Hangfire's long
                // polling and the outbox relay's wake-up) as a network blip or a failover would.
                if (marks.TryPeek(out var mark) && finished >= mark)
                {
                    var killed = await TerminateListenersAsync(deadline.Token);
                    terminated.AddRange(killed);
                    if (killed.Any(IsHangfireListener))
                    {
                        marks.Dequeue();
                    }
                }
            },
            deadline.Token);
        Report($"{JobsPerRound} jobs submitted in {drain.Submitted.TotalSeconds:0.0} s, all finished after {drain.Finished.TotalSeconds:0.0} s");
        Report($"terminated listening backends: {string.Join("; ", terminated)}");

        terminated.Count(IsHangfireListener).ShouldBeGreaterThan(0, "the drain must have lost Hangfire's LISTEN connection at least once");
        await ShouldHaveRunEachExactlyOnceAsync(drain, states, deadline.Token);
        Report($"stranded jobs rescued (handed over again) so far in this topology: {RescuedNotStarted()}");
    }

    private async Task ShouldHaveRunEachExactlyOnceAsync(TrivialJobDrain drain, Dictionary<string, long> states, CancellationToken cancellationToken)
    {
        states.ShouldBe(new Dictionary<string, long> { ["succeeded"] = JobsPerRound });
        var counters = await drain.ReadCountersAsync(fixture.Redis);
        counters.Count(c => c.Started != 1).ShouldBe(0, "every job's handler started exactly once");
        counters.Count(c => c.MaxActive != 1).ShouldBe(0, "no job ran twice at the same time");
        (await drain.CountRetriedAsync(cancellationToken)).ShouldBe(0, "no attempt was lost and run again");
    }

    /// <summary>Terminates every backend whose last statement was a LISTEN, except the notifier's (job_events).</summary>
    private async Task<List<string>> TerminateListenersAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(fixture.Topology.JobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        // OFFSET 0 keeps the planner from merging the filter with the terminate call, whose order it may choose.
        await using var command = new NpgsqlCommand("""
            SELECT listening.query FROM (
                SELECT pid, query FROM pg_stat_activity
                WHERE pid <> pg_backend_pid() AND query ILIKE 'LISTEN%' AND query NOT ILIKE '%job_events%'
                OFFSET 0) AS listening
            WHERE pg_terminate_backend(listening.pid)
            """, connection);
        var killed = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            killed.Add(reader.GetString(0));
        }

        return killed;
    }

    private static bool IsHangfireListener(string query) => query.Contains(HangfireQueueTable.NewJobChannel, StringComparison.OrdinalIgnoreCase);

    private int RescuedNotStarted()
    {
        using var stream = new FileStream(fixture.Topology.LogPath("worker"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var log = reader.ReadToEnd();
        var count = 0;
        for (var at = log.IndexOf("but not started", StringComparison.Ordinal); at >= 0; at = log.IndexOf("but not started", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static CancellationTokenSource StartDeadline(TimeSpan after)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(after);
        return deadline;
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
