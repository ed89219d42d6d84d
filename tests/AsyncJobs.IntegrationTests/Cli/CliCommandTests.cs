using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Cli;

/// <summary>The other job commands (list, get, cancel, retry, dead-letters), their <c>--json</c> output, and how the CLI reports what went wrong.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class CliCommandTests(LocalTopologyFixture fixture) : CliScenario(fixture)
{
    [Fact]
    public async Task Submit_get_and_list_answer_json_that_parses()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-json", deadline.Token);

        var submit = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "-p", """{"steps":1,"stepDurationMs":0}""", "--priority", "high", "--idempotency-key", "cli-json-1", "--json")).ShouldExitWith(0);
        using var handle = JsonDocument.Parse(submit.Stdout);
        var id = handle.RootElement.GetProperty("id").GetGuid();
        handle.RootElement.GetProperty("jobToken").GetString().ShouldStartWith("ajt_");
        handle.RootElement.GetProperty("idempotencyKey").GetString().ShouldBe("cli-json-1");
        var submitted = await tenant.GetJobAsync(id, deadline.Token);
        submitted.Priority.ShouldBe("high");

        var again = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "-p", """{"steps":1,"stepDurationMs":0}""", "--priority", "high", "--idempotency-key", "cli-json-1", "--json")).ShouldExitWith(0);
        using (var replay = JsonDocument.Parse(again.Stdout))
        {
            replay.RootElement.GetProperty("id").GetGuid().ShouldBe(id, "the same key and body answer the original job");
            replay.RootElement.GetProperty("replayed").GetBoolean().ShouldBeTrue();
        }

        var get = (await RunAsync(tenant, deadline.Token, "get", id.ToString(), "--json")).ShouldExitWith(0);
        using (var job = JsonDocument.Parse(get.Stdout))
        {
            job.RootElement.GetProperty("id").GetGuid().ShouldBe(id);
            job.RootElement.GetProperty("type").GetString().ShouldBe("demo.simulate");
            job.RootElement.GetProperty("history").GetArrayLength().ShouldBeGreaterThan(0);
        }

        var dryRun = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "-p", """{"steps":4,"stepDurationMs":250}""", "--dry-run", "--json")).ShouldExitWith(0);
        using (var plan = JsonDocument.Parse(dryRun.Stdout))
        {
            plan.RootElement.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
            plan.RootElement.GetProperty("plan").GetProperty("estimatedDurationMs").GetInt64().ShouldBe(1000);
        }

        var list = (await RunAsync(tenant, deadline.Token, "list", "--json")).ShouldExitWith(0);
        using var items = JsonDocument.Parse(list.Stdout);
        items.RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ShouldBe([id], "a fresh tenant has this one job: the replay and the dry run added none");
    }

    [Fact]
    public async Task List_filters_by_state_and_get_shows_a_job()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-list", deadline.Token);
        var succeeded = await tenant.SubmitAsync("""{"type":"demo.simulate","payload":{"steps":1,"stepDurationMs":0}}""", deadline.Token);
        var failed = await tenant.SubmitAsync("""{"type":"demo.simulate","payload":{"alwaysFail":true},"maxAttempts":1}""", deadline.Token);
        await tenant.WaitForFinishAsync(succeeded, deadline.Token);
        await tenant.WaitForFinishAsync(failed, deadline.Token);

        var all = (await RunAsync(tenant, deadline.Token, "list")).ShouldExitWith(0);
        all.Stdout.ShouldContain(succeeded.Id.ToString(), Case.Sensitive, all.ToString());
        all.Stdout.ShouldContain(failed.Id.ToString(), Case.Sensitive, all.ToString());

        var onlyFailed = (await RunAsync(tenant, deadline.Token, "list", "--state", "failed", "--json")).ShouldExitWith(0);
        using (var items = JsonDocument.Parse(onlyFailed.Stdout))
        {
            items.RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ShouldBe([failed.Id]);
        }

        var limited = (await RunAsync(tenant, deadline.Token, "list", "--limit", "1", "--json")).ShouldExitWith(0);
        using (var items = JsonDocument.Parse(limited.Stdout))
        {
            items.RootElement.GetArrayLength().ShouldBe(1);
        }

        var get = (await RunAsync(tenant, deadline.Token, "get", succeeded.Id.ToString())).ShouldExitWith(0);
        get.Stdout.ShouldContain(succeeded.Id.ToString(), Case.Sensitive, get.ToString());
        get.Stdout.ShouldContain("succeeded", Case.Sensitive, get.ToString());
        get.Stdout.ShouldContain("\"stepsCompleted\": 1", Case.Sensitive, get.ToString());
    }

    [Fact]
    public async Task Dead_letters_show_the_error_and_retry_queues_one_again()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-dead-letters", deadline.Token);
        var failed = await tenant.SubmitAsync("""{"type":"demo.simulate","payload":{"alwaysFail":true},"maxAttempts":1}""", deadline.Token);
        await tenant.WaitForFinishAsync(failed, deadline.Token);

        var deadLetters = (await RunAsync(tenant, deadline.Token, "dead-letters")).ShouldExitWith(0);
        deadLetters.Stdout.ShouldContain(failed.Id.ToString(), Case.Sensitive, deadLetters.ToString());
        deadLetters.Stdout.ShouldContain("simulated_failure: demo.simulate was asked to always fail.", Case.Sensitive, deadLetters.ToString());

        var retry = (await RunAsync(tenant, deadline.Token, "retry", failed.Id.ToString())).ShouldExitWith(0);
        retry.Stdout.ShouldContain($"Job {failed.Id} is queued again", Case.Sensitive, retry.ToString());
        var job = await tenant.GetJobAsync(failed.Id, deadline.Token);
        var statuses = job.History.Select(h => h.Status).ToList();
        statuses.IndexOf("queued", statuses.IndexOf("failed")).ShouldBeGreaterThan(0, $"queued again after the failure: {string.Join(", ", statuses)}");

        var refused = (await RunAsync(tenant, deadline.Token, "retry", Guid.CreateVersion7().ToString())).ShouldExitWith(3);
        refused.Stderr.ShouldContain("Error 404", Case.Sensitive, refused.ToString());
        refused.Stderr.ShouldContain("https://asyncjobs.dev/problems/job-not-found", Case.Sensitive, refused.ToString());
    }

    [Fact]
    public async Task Cancel_stops_a_running_job_and_is_refused_for_a_finished_one()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-cancel", deadline.Token);
        var hanging = await tenant.SubmitHangingAsync(deadline.Token);

        var cancel = (await RunAsync(tenant, deadline.Token, "cancel", hanging.Id.ToString(), "--wait")).ShouldExitWith(0);
        cancel.Stdout.ShouldContain($"Job {hanging.Id} is cancelled", Case.Sensitive, cancel.ToString());
        (await tenant.GetJobAsync(hanging.Id, deadline.Token)).Status.ShouldBe("cancelled");

        var again = (await RunAsync(tenant, deadline.Token, "cancel", hanging.Id.ToString())).ShouldExitWith(3);
        again.Stderr.ShouldContain("Error 409", Case.Sensitive, again.ToString());
        again.Stderr.ShouldContain("https://asyncjobs.dev/problems/job-already-finished", Case.Sensitive, again.ToString());

        var asJson = (await RunAsync(tenant, deadline.Token, "cancel", hanging.Id.ToString(), "--json")).ShouldExitWith(3);
        asJson.Stdout.ShouldBeEmpty(asJson.ToString());
        using var problem = JsonDocument.Parse(asJson.Stderr);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(409);
        problem.RootElement.GetProperty("type").GetString().ShouldBe("https://asyncjobs.dev/problems/job-already-finished");
    }

    [Fact]
    public async Task A_bad_submission_prints_the_problem_and_exits_65()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-bad-payload", deadline.Token);

        var invalid = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "--payload", """{"steps":0}""", "--wait")).ShouldExitWith(65);
        invalid.Stderr.ShouldContain("Error 400", Case.Sensitive, invalid.ToString());
        invalid.Stderr.ShouldContain("payload.steps", Case.Sensitive, invalid.ToString());
        invalid.Stderr.ShouldContain("https://asyncjobs.dev/problems/invalid-payload", Case.Sensitive, invalid.ToString());
        invalid.Stdout.ShouldBeEmpty(invalid.ToString());

        var unknown = (await RunAsync(tenant, deadline.Token, "submit", "no.such.type")).ShouldExitWith(65);
        unknown.Stderr.ShouldContain("https://asyncjobs.dev/problems/unknown-job-type", Case.Sensitive, unknown.ToString());

        var malformed = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "--payload", "{steps:")).ShouldExitWith(65);
        malformed.Stderr.ShouldContain("--payload is not valid JSON", Case.Sensitive, malformed.ToString());

        var missingFile = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "--payload", "@/nonexistent/payload.json")).ShouldExitWith(66);
        missingFile.Stderr.ShouldContain("cannot read '/nonexistent/payload.json'", Case.Sensitive, missingFile.ToString());

        (await tenant.ListAsync("", deadline.Token)).Items.ShouldBeEmpty("a refused submission creates no job");
    }

    [Fact]
    public async Task A_payload_file_is_read_with_at()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-payload-file", deadline.Token);
        var file = Path.Combine(Path.GetTempPath(), $"asyncjobs-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"steps":2,"stepDurationMs":0}""", deadline.Token);
        try
        {
            var run = (await RunAsync(tenant, deadline.Token, "submit", "demo.simulate", "--payload", "@" + file, "--wait")).ShouldExitWith(0);
            run.Stdout.ShouldContain("\"stepsCompleted\": 2", Case.Sensitive, run.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Usage_errors_missing_settings_an_unreachable_api_and_a_wrong_key_have_their_own_exit_codes()
    {
        using var deadline = StartDeadline(CliDeadline);
        await using var tenant = await NewTenantAsync("cli-errors", deadline.Token);

        var unknownCommand = (await RunAsync(tenant, deadline.Token, "frobnicate")).ShouldExitWith(64);
        unknownCommand.Stderr.ShouldContain("frobnicate", Case.Sensitive, unknownCommand.ToString());
        (await RunAsync(tenant, deadline.Token, "get", "not-a-job-id")).ShouldExitWith(64);
        (await RunAsync(tenant, deadline.Token, "list", "--state", "sleeping")).ShouldExitWith(64);

        var noKey = (await RunAsync(new Dictionary<string, string?> { ["ASYNCJOBS_API_URL"] = Topology.ApiUrl.AbsoluteUri }, deadline.Token, "list")).ShouldExitWith(64);
        noKey.Stderr.ShouldContain("ASYNCJOBS_API_KEY", Case.Sensitive, noKey.ToString());

        var wrongKey = (await RunAsync(tenant, deadline.Token, "list", "--api-key", "ajk_not_a_key")).ShouldExitWith(77);
        wrongKey.Stderr.ShouldContain("Error 401", Case.Sensitive, wrongKey.ToString());

        var unreachable = (await RunAsync(tenant, deadline.Token, "list", "--api-url", $"http://127.0.0.1:{ClosedPort()}")).ShouldExitWith(69);
        unreachable.Stderr.ShouldContain("Cannot reach the API", Case.Sensitive, unreachable.ToString());
    }

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
