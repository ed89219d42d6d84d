using System.Net;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>POST /jobs?dryRun=true: full validation and the handler's plan, with nothing persisted or enqueued.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class DryRunTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_dry_run_answers_the_plan_and_writes_nothing()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("dry-run-plan", deadline.Token);
        var body = DemoJobs.Simulate(
            "\"steps\":4,\"stepDurationMs\":250,\"failTimes\":2",
            "\"priority\":\"high\",\"timeoutSeconds\":30,\"maxAttempts\":5");

        using var response = await tenant.PostJobAsync(body, deadline.Token, query: "?dryRun=true");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(deadline.Token));
        response.Headers.Location.ShouldBeNull("nothing was created, so there is nothing to point at");
        var answer = await response.ReadAsync<DryRunAnswer>(deadline.Token);
        answer.DryRun.ShouldBeTrue();
        answer.Type.ShouldBe("demo.simulate");
        answer.Priority.ShouldBe("high");
        answer.TimeoutSeconds.ShouldBe(30);
        answer.MaxAttempts.ShouldBe(5);
        answer.Plan.ValueKind.ShouldBe(JsonValueKind.Object);
        answer.Plan.GetProperty("steps").GetInt32().ShouldBe(4);
        answer.Plan.GetProperty("estimatedDurationMs").GetInt64().ShouldBe(1000);
        answer.Plan.GetProperty("failingAttempts").GetInt32().ShouldBe(2);

        await Rows.ShouldHaveNothingForAsync(tenant.Id, "a dry run", deadline.Token);
        (await tenant.ListAsync(string.Empty, deadline.Token)).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dry_run_reports_the_defaults_a_real_submission_gets()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("dry-run-defaults", deadline.Token);
        var body = DemoJobs.Simulate("\"steps\":1000,\"stepDurationMs\":0");

        using var dryRun = await tenant.PostJobAsync(body, deadline.Token, query: "?dryRun=true");
        dryRun.StatusCode.ShouldBe(HttpStatusCode.OK, await dryRun.Content.ReadAsStringAsync(deadline.Token));
        var answer = await dryRun.ReadAsync<DryRunAnswer>(deadline.Token);
        answer.Plan.GetProperty("steps").GetInt32().ShouldBe(1000, "the upper bound of steps is valid");
        answer.Plan.GetProperty("estimatedDurationMs").GetInt64().ShouldBe(0);
        answer.Plan.GetProperty("failingAttempts").GetInt32().ShouldBe(0);
        await Rows.ShouldHaveNothingForAsync(tenant.Id, "a dry run", deadline.Token);

        var real = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var job = await tenant.GetJobAsync(real.Id, deadline.Token);
        answer.Priority.ShouldBe(job.Priority);
        answer.TimeoutSeconds.ShouldBe(job.TimeoutSeconds);
        answer.MaxAttempts.ShouldBe(job.MaxAttempts);
    }

    [Fact]
    public async Task A_dry_run_validates_like_a_submission()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("dry-run-invalid", deadline.Token);

        using var badPayload = await tenant.PostJobAsync(DemoJobs.Simulate("\"steps\":0"), deadline.Token, query: "?dryRun=true");
        using var badOption = await tenant.PostJobAsync(DemoJobs.Quick("\"maxAttempts\":21"), deadline.Token, query: "?dryRun=true");
        using var badType = await tenant.PostJobAsync("""{"type":"no.such.type","payload":{}}""", deadline.Token, query: "?dryRun=true");

        await badPayload.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-payload", "payload.steps", deadline.Token);
        await badOption.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation-failed", "maxAttempts", deadline.Token);
        await badType.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "unknown-job-type", "type", deadline.Token);
        await Rows.ShouldHaveNothingForAsync(tenant.Id, "invalid dry runs", deadline.Token);
    }

    [Fact]
    public async Task DryRun_false_is_an_ordinary_submission()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("dry-run-false", deadline.Token);

        using var response = await tenant.PostJobAsync(DemoJobs.Quick(), deadline.Token, query: "?dryRun=false");

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(deadline.Token));
        (await response.ReadAsync<SubmittedJob>(deadline.Token)).Status.ShouldBe("queued");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }
}
