using System.Diagnostics;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>Many jobs, two worker processes, two relays and Hangfire in between: each job runs once, never twice at the same time.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class ExactlyOnceTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    private const int JobCount = 200;

    [Fact]
    public async Task Two_hundred_concurrent_jobs_across_two_workers_each_run_exactly_once_to_success()
    {
        using var deadline = StartDeadline();
        await Fixture.TwoWorkersAsync(deadline.Token);
        using var api = Fixture.ApiClient();
        var prefix = ExecutionCounter.NewKey("exactly-once");
        var clock = Stopwatch.StartNew();

        var ids = new Guid[JobCount];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, JobCount),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = deadline.Token },
            async (i, token) =>
            {
                var accepted = await SubmitAsync(api, new { steps = 2, stepDurationMs = 100, executionCounterKey = $"{prefix}:{i}" }, token);
                ids[i] = Guid.Parse(accepted.Id);
            });
        var submitted = clock.Elapsed;

        var states = await WaitUntilAllFinishedAsync(ids, deadline.Token);
        var drained = clock.Elapsed;
        Report($"{JobCount} jobs submitted in {submitted.TotalSeconds:0.0} s, all finished after {drained.TotalSeconds:0.0} s");

        states.ShouldBe(new Dictionary<string, long> { ["succeeded"] = JobCount });
        var counters = await Task.WhenAll(Enumerable.Range(0, JobCount).Select(i => ExecutionCounter.ReadAsync(Fixture.Redis, $"{prefix}:{i}")));
        counters.Where(c => c.Started != 1).ShouldBeEmpty("every job's handler started exactly once");
        counters.Where(c => c.MaxActive != 1).ShouldBeEmpty("no job ran twice at the same time");
        counters.Where(c => c.Active != 0).ShouldBeEmpty("every execution ended");

        var perWorker = new[] { "worker", ExecutionTopologyFixture.SecondWorker }.ToDictionary(w => w, w => StartsLogged(w, ids));
        Report($"starts per worker: {string.Join(", ", perWorker.Select(p => $"{p.Key} {p.Value}"))}");
        perWorker.Values.Sum().ShouldBe(JobCount);
        perWorker.Values.ShouldAllBe(starts => starts > 0, "both worker processes ran jobs");
    }

    /// <summary>Polls the job rows (the source of truth) until none of <paramref name="ids"/> is unfinished; returns the count per state.</summary>
    private async Task<Dictionary<string, long>> WaitUntilAllFinishedAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Fixture.Topology.JobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        while (true)
        {
            var states = new Dictionary<string, long>();
            await using (var count = new NpgsqlCommand("SELECT state, count(*) FROM jobs WHERE id = ANY(@ids) GROUP BY state", connection))
            {
                count.Parameters.AddWithValue("ids", ids);
                await using var reader = await count.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    states[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            if (!states.Keys.Any(s => s is "queued" or "running" or "retrying"))
            {
                return states;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>How many of these jobs the worker's log says it started ("Started job {id}").</summary>
    private int StartsLogged(string worker, Guid[] ids)
    {
        using var stream = new FileStream(Fixture.Topology.LogPath(worker), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var log = reader.ReadToEnd();
        return ids.Sum(id => CountOccurrences(log, $"Started job {id}"));
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
