using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>A job handed to Hangfire that never starts (Hangfire.PostgreSql can strand one) is handed over again by the rescuer.</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class StrandedJobTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
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
}
