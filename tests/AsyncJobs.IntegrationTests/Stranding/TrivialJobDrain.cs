using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AsyncJobs.IntegrationTests.Execution;
using AsyncJobs.IntegrationTests.Scenarios;
using Npgsql;
using StackExchange.Redis;

namespace AsyncJobs.IntegrationTests.Stranding;

/// <summary>
/// Submits many trivial <c>demo.simulate</c> jobs, each counting its executions in Redis under its own key, and waits
/// on the job rows (the source of truth) until none is unfinished.
/// </summary>
public sealed class TrivialJobDrain(HttpClient api, string jobsDbConnectionString, int jobCount)
{
    private const int Clients = 16;

    private readonly string counterPrefix = ExecutionCounter.NewKey("drain");

    public Guid[] Ids { get; } = new Guid[jobCount];

    public TimeSpan Submitted { get; private set; }

    public TimeSpan Finished { get; private set; }

    public async Task SubmitAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Ids.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var body = new { type = "demo.simulate", payload = new { steps = 1, stepDurationMs = 0, executionCounterKey = CounterKey(i) }, maxAttempts = 3 };
                using var response = await api.PostAsJsonAsync("/jobs", body, token);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new ShouldAssertException($"POST /jobs answered {(int)response.StatusCode} instead of 202: {await response.Content.ReadAsStringAsync(token)}");
                }

                var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>(token)).ShouldNotBeNull();
                Ids[i] = Guid.Parse(accepted.Id);
            });
        Submitted = clock.Elapsed;
    }

    /// <summary>
    /// Polls until every job is finished and answers the count per state; <paramref name="onProgress"/> sees how many
    /// have finished after each poll (to disturb the drain midway).
    /// </summary>
    public async Task<Dictionary<string, long>> WaitUntilAllFinishedAsync(Func<long, Task>? onProgress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(jobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        while (true)
        {
            var states = await CountStatesAsync(connection, cancellationToken);
            if (!states.Keys.Any(s => s is "queued" or "running" or "retrying"))
            {
                Finished = Submitted + clock.Elapsed;
                return states;
            }

            if (onProgress is not null)
            {
                await onProgress(states.Where(s => s.Key is "succeeded" or "failed" or "cancelled").Sum(s => s.Value));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>What each job's handler counted: how often it started and the most executions running at once.</summary>
    public Task<ExecutionCounter[]> ReadCountersAsync(IDatabase redis) =>
        Task.WhenAll(Enumerable.Range(0, Ids.Length).Select(i => ExecutionCounter.ReadAsync(redis, CounterKey(i))));

    /// <summary>The jobs that took more than one attempt (a lost attempt would be rescued as a second one).</summary>
    public async Task<long> CountRetriedAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(jobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND attempt <> 1", connection);
        command.Parameters.AddWithValue("ids", Ids);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private string CounterKey(int index) => $"{counterPrefix}:{index}";

    private async Task<Dictionary<string, long>> CountStatesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, long>();
        await using var count = new NpgsqlCommand("SELECT state, count(*) FROM jobs WHERE id = ANY(@ids) GROUP BY state", connection);
        count.Parameters.AddWithValue("ids", Ids);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }
}
