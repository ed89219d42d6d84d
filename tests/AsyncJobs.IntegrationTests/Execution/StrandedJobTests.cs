using AsyncJobs.Core.Data;
using AsyncJobs.Core.Postgres;
using AsyncJobs.IntegrationTests.Scenarios;
using AsyncJobs.Worker;
using AsyncJobs.Worker.Hangfire;
using AsyncJobs.Worker.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>A job handed to Hangfire that never starts (Hangfire.PostgreSql can strand one) is handed over again by the rescuer.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class StrandedJobTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_job_handed_over_but_never_started_is_handed_over_again_and_runs()
    {
        using var deadline = StartDeadline();
        await Fixture.OnlyFirstWorkerAsync(deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        var counter = ExecutionCounter.NewKey("stranded");

        // With no worker running, nothing relays the job; marking it handed over long ago is what a stranded job looks like.
        await Fixture.Topology.StopAsync("worker");
        try
        {
            var job = await SubmitAsync(api, new { steps = 1, stepDurationMs = 0, executionCounterKey = counter }, deadline.Token);
            await using (var connection = new NpgsqlConnection(Fixture.Topology.JobsDbConnectionString))
            {
                await connection.OpenAsync(deadline.Token);
                await using var strand = new NpgsqlCommand(
                    "UPDATE jobs SET handed_over_at = now() - interval '10 minutes' WHERE id = @id AND state = 'queued' AND handed_over_at IS NULL", connection);
                strand.Parameters.AddWithValue("id", Guid.Parse(job.Id));
                (await strand.ExecuteNonQueryAsync(deadline.Token)).ShouldBe(1);
            }

            await Fixture.Topology.StartServiceAsync("worker", deadline.Token);
            var events = await JobTimeline.UntilTerminalAsync(notifier, new Uri(job.Links.Events), deadline.Token);

            events[^1].Type.ShouldBe("job.succeeded", JobTimeline.Describe(events));
            (await ExecutionCounter.ReadAsync(Fixture.Redis, counter)).Started.ShouldBe(1);
            Fixture.Topology.OutputTail("worker").ShouldContain($"Rescued job {job.Id}: queued but not started");
        }
        finally
        {
            await Fixture.EnsureRunningAsync("worker", TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Only_jobs_Hangfire_passed_are_handed_over_again_not_those_still_in_line()
    {
        using var deadline = StartDeadline();
        await Fixture.OnlyFirstWorkerAsync(deadline.Token);
        using var api = Fixture.ApiClient();
        using var notifier = Fixture.NotifierClient();
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Topology.JobsDbConnectionString);
        await using var wakeUps = new PostCommitNotifier(dataSource, NullLogger<PostCommitNotifier>.Instance);
        var store = new JobStore(dataSource, wakeUps);
        var counters = Enumerable.Range(0, 4).Select(i => ExecutionCounter.NewKey($"line-{i}")).ToList();

        // No worker: this test is the only one to relay, fetch and rescue.
        await Fixture.Topology.StopAsync("worker");
        try
        {
            var accepted = new List<JobAccepted>();
            foreach (var counter in counters)
            {
                accepted.Add(await SubmitAsync(api, new { steps = 1, stepDurationMs = 0, executionCounterKey = counter }, deadline.Token, priority: "low"));
            }

            var jobs = accepted.Select(a => Guid.Parse(a.Id)).ToList();

            var relay = new OutboxRelay(dataSource, Options.Create(new WorkerOptions()), NullLogger<OutboxRelay>.Instance);
            (await relay.RelayBatchAsync(100, deadline.Token)).ShouldBe(jobs.Count, "only this test's jobs wait to be handed over");
            var hangfireJobs = await HangfireJobsAsync(dataSource, jobs, deadline.Token);
            hangfireJobs.ShouldBeInOrder(SortDirection.Ascending, "the relay records each job's Hangfire job, in the order the jobs were accepted");
            (await CountAsync(dataSource, $"SELECT count(*) FROM {HangfireSetup.SchemaName}.jobqueue WHERE queue = 'low' AND fetchedat IS NULL AND jobid < @first", deadline.Token, ("first", hangfireJobs[0])))
                .ShouldBe(0, "nothing else waits in the low queue ahead of this test's jobs");

            // Hangfire fetched the first and lost it, fetched the second and never ran it; the third waits at the head
            // of the line, and the fourth was lost behind it. All were handed over long ago.
            var (lostAhead, fetched, waiting, lostBehind) = (hangfireJobs[0], hangfireJobs[1], hangfireJobs[2], hangfireJobs[3]);
            await ExecuteAsync(dataSource, $"DELETE FROM {HangfireSetup.SchemaName}.jobqueue WHERE jobid IN (@lost_ahead, @lost_behind)", deadline.Token, ("lost_ahead", lostAhead), ("lost_behind", lostBehind));
            await ExecuteAsync(dataSource, $"UPDATE {HangfireSetup.SchemaName}.jobqueue SET fetchedat = now() WHERE jobid = @fetched", deadline.Token, ("fetched", fetched));
            (await ExecuteAsync(dataSource, "UPDATE jobs SET handed_over_at = now() - interval '10 minutes' WHERE id = ANY(@ids)", deadline.Token, ("ids", jobs.ToArray()))).ShouldBe(jobs.Count);

            (await ReleasedAmongAsync(store, jobs, deadline.Token)).ShouldBe([jobs[0], jobs[1]], ignoreOrder: true, "the jobs ahead of the line's head are released, the rest is in line");

            // Once Hangfire fetches the head, the job lost behind it is ahead of the line too.
            await ExecuteAsync(dataSource, $"UPDATE {HangfireSetup.SchemaName}.jobqueue SET fetchedat = now() WHERE jobid = @waiting", deadline.Token, ("waiting", waiting));
            (await ReleasedAmongAsync(store, jobs, deadline.Token)).ShouldBe([jobs[2], jobs[3]], ignoreOrder: true);

            // The stale entries would be delivered again after the invisibility timeout; the relay hands every job over afresh.
            await ExecuteAsync(dataSource, $"DELETE FROM {HangfireSetup.SchemaName}.jobqueue WHERE jobid = ANY(@stale)", deadline.Token, ("stale", hangfireJobs.ToArray()));
            await Fixture.Topology.StartServiceAsync("worker", deadline.Token);
            foreach (var (job, counter) in accepted.Zip(counters))
            {
                var events = await JobTimeline.UntilTerminalAsync(notifier, new Uri(job.Links.Events), deadline.Token);
                events[^1].Type.ShouldBe("job.succeeded", JobTimeline.Describe(events));
                (await ExecutionCounter.ReadAsync(Fixture.Redis, counter)).Started.ShouldBe(1);
            }
        }
        finally
        {
            await Fixture.EnsureRunningAsync("worker", TestContext.Current.CancellationToken);
        }
    }

    private static async Task<List<Guid>> ReleasedAmongAsync(JobStore store, List<Guid> jobs, CancellationToken cancellationToken)
    {
        var released = await store.ReleaseStrandedAsync(StartTimeout, 100, HangfireSetup.SchemaName, cancellationToken);
        return [.. released.Select(r => r.JobId).Where(jobs.Contains)];
    }

    private static async Task<List<long>> HangfireJobsAsync(NpgsqlDataSource dataSource, List<Guid> jobs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT j.hangfire_job_id FROM unnest(@ids) WITH ORDINALITY AS accepted(id, position)
            JOIN jobs j ON j.id = accepted.id
            ORDER BY accepted.position
            """);
        command.Parameters.AddWithValue("ids", jobs.ToArray());
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        ids.Count.ShouldBe(jobs.Count);
        return ids;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, (string Name, object Value)[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
