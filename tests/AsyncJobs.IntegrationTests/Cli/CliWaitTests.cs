using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Cli;

/// <summary>
/// <c>asyncjobs submit --wait</c> and <c>watch</c> follow a job to its end, print its progress as plain lines when
/// redirected (percent and step message), end with the result or the error, and exit with the outcome:
/// 0 succeeded, 1 failed, 2 cancelled.
/// </summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed partial class CliWaitTests(LocalTopologyFixture fixture) : CliScenario(fixture)
{
    [Fact]
    public async Task Submit_and_wait_shows_each_step_and_the_result_and_exits_0()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-wait-succeeds", deadline.Token);

        var run = await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "--payload", """{"steps":4,"stepDurationMs":300}""", "--wait");

        run.ShouldExitWith(0);
        var steps = run.Lines.Select(l => ProgressLine().Match(l)).Where(m => m.Success).ToList();
        steps.ShouldNotBeEmpty(run.ToString());
        steps.Any(IsStepInTheMiddle).ShouldBeTrue($"a running line between 0% and 100% with its step message:\n{run}");
        steps[^1].Groups["status"].Value.ShouldBe("succeeded", run.ToString());
        steps[^1].Groups["percent"].Value.ShouldBe("100", run.ToString());
        steps.Select(m => int.Parse(m.Groups["percent"].Value)).ShouldBeInOrder(SortDirection.Ascending, run.ToString());
        run.Stdout.ShouldContain("\"stepsCompleted\": 4", Case.Sensitive, run.ToString());

        var job = await tenant.GetJobAsync(SubmittedJobId(run), deadline.Token);
        job.Status.ShouldBe("succeeded");
        run.Stdout.ShouldContain($"Job {job.Id} succeeded", Case.Sensitive, run.ToString());
    }

    [Fact]
    public async Task Submit_and_wait_for_a_failing_job_shows_the_error_and_exits_1()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-wait-fails", deadline.Token);

        var run = await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "--payload", """{"alwaysFail":true}""", "--max-attempts", "1", "--wait");

        run.ShouldExitWith(1);
        var id = SubmittedJobId(run);
        run.Stdout.ShouldContain($"Job {id} failed", Case.Sensitive, run.ToString());
        run.Stdout.ShouldContain("simulated_failure: demo.simulate was asked to always fail.", Case.Sensitive, run.ToString());
        run.Stdout.ShouldContain($"asyncjobs retry {id}", Case.Sensitive, run.ToString());
        (await tenant.GetJobAsync(id, deadline.Token)).Status.ShouldBe("failed");
    }

    [Fact]
    public async Task A_job_cancelled_through_the_api_while_the_cli_waits_exits_2()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-wait-cancelled", deadline.Token);
        await using var cli = CliProcess.Start(EnvironmentOf(tenant), ["submit", "demo.simulate", "--payload", """{"hang":true}""", "--timeout-seconds", "60", "--wait"]);

        var id = SubmittedJobId(await cli.WaitForLineAsync(l => l.StartsWith("Submitted job ", StringComparison.Ordinal), "the submitted job", deadline.Token));
        await cli.WaitForLineAsync(l => l.Contains("Hanging until cancelled", StringComparison.Ordinal), "the running job's step message", deadline.Token);
        using (var cancel = await tenant.CancelAsync(id, deadline.Token))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted, await cancel.Content.ReadAsStringAsync(deadline.Token));
        }

        var run = await cli.WaitForExitAsync(deadline.Token);
        run.ShouldExitWith(2);
        run.Lines.ShouldContain(l => ProgressLine().Match(l).Groups["status"].Value == "cancelled", run.ToString());
        run.Stdout.ShouldContain($"Job {id} was cancelled", Case.Sensitive, run.ToString());
    }

    [Fact]
    public async Task Watch_with_json_prints_one_event_per_line_ending_with_the_result()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-watch-json", deadline.Token);
        var submitted = await tenant.SubmitAsync("""{"type":"demo.simulate","payload":{"steps":3,"stepDurationMs":400}}""", deadline.Token);

        var run = await RunAsync(tenant, deadline.Token, "watch", submitted.Id.ToString(), "--json");

        run.ShouldExitWith(0);
        run.Stderr.ShouldBeEmpty(run.ToString());
        var events = run.Lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        events.ShouldNotBeEmpty(run.ToString());
        events.ShouldAllBe(e => e.GetProperty("jobId").GetGuid() == submitted.Id);
        var sequences = events.Select(e => e.GetProperty("sequence").GetInt32()).ToList();
        sequences.ShouldBe(Enumerable.Range(sequences[0], sequences.Count), "one event per sequence, in order: " + run.Stdout);
        var last = events[^1];
        last.GetProperty("type").GetString().ShouldBe("job.succeeded", run.ToString());
        last.GetProperty("result").GetProperty("stepsCompleted").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task Watching_a_finished_job_prints_its_outcome_and_exits_with_it()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-watch-finished", deadline.Token);
        var failed = await tenant.SubmitAsync("""{"type":"demo.simulate","payload":{"alwaysFail":true},"maxAttempts":1}""", deadline.Token);
        await tenant.WaitForFinishAsync(failed, deadline.Token);

        var run = await RunAsync(tenant, deadline.Token, "watch", failed.Id.ToString());

        run.ShouldExitWith(1);
        run.Stdout.ShouldContain("simulated_failure", Case.Sensitive, run.ToString());
    }

    private static bool IsStepInTheMiddle(Match line) =>
        line.Groups["status"].Value == "running" &&
        int.Parse(line.Groups["percent"].Value) is > 0 and < 100 &&
        line.Groups["step"].Value.StartsWith("Step ", StringComparison.Ordinal);

    /// <summary><c>21:50:02  running    40%  Step 2 of 5 done (step-2)</c>.</summary>
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\s+(?<status>[a-z]+)\s+(?<percent>\d{1,3})%(\s+(?<step>.*))?$")]
    private static partial Regex ProgressLine();
}
