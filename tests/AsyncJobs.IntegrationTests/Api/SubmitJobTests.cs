using System.Net;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>POST /jobs: accepted at once with where to follow the job, and written once.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class SubmitJobTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task A_valid_submission_is_accepted_with_location_retry_after_token_and_links()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("submit-accepted", deadline.Token);
        var before = DateTimeOffset.UtcNow;

        using var response = await tenant.PostJobAsync(DemoJobs.Quick(), deadline.Token);

        var body = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var job = await response.ReadAsync<SubmittedJob>(deadline.Token);
        job.Id.ShouldNotBe(Guid.Empty);
        job.Status.ShouldBe("queued");
        job.CreatedAt.ShouldBeInRange(before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5), "createdAt is the submission time (clock skew allowed)");
        job.JobToken.ShouldStartWith("ajt_");
        job.JobToken.ShouldNotContain(tenant.ApiKey);
        response.Headers.Location.ShouldNotBeNull().OriginalString.ShouldBe($"/jobs/{job.Id}");
        response.ShouldHaveRetryAfterSeconds().ShouldBe(1);

        job.Links.Self.ShouldBe($"/jobs/{job.Id}");
        job.Links.Cancel.ShouldBe($"/jobs/{job.Id}/cancel");
        job.Links.Result.ShouldBe($"/jobs/{job.Id}/result");
        Uri.TryCreate(job.Links.Events, UriKind.Absolute, out var events).ShouldBeTrue($"links.events is not absolute: {job.Links.Events}");
        events.ShouldBe(new Uri(Topology.NotifierUrl, $"/jobs/{job.Id}/events"), "the event stream lives on the notifier");

        using var document = JsonDocument.Parse(body);
        document.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["id", "status", "createdAt", "jobToken", "links"], ignoreOrder: true);

        // The control for every "nothing was written" check in this suite: a valid submission is one job row.
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
        (await Rows.CountEventsAsync(tenant.Id, deadline.Token)).ShouldBeGreaterThanOrEqualTo(1, "the job.queued event is written with the job");
    }

    [Fact]
    public async Task The_options_of_a_submission_are_kept_with_the_job()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("submit-options", deadline.Token);

        var job = await tenant.SubmitAsync(
            DemoJobs.Quick("""
                "priority":"low","timeoutSeconds":86400,"maxAttempts":20,"callbackUrl":"https://hooks.example.com/asyncjobs?x=1","metadata":{"customer":"c-42","tags":["a","b"]}
                """),
            deadline.Token);

        var status = await tenant.GetJobAsync(job.Id, deadline.Token);
        status.Type.ShouldBe("demo.simulate");
        status.Priority.ShouldBe("low");
        status.TimeoutSeconds.ShouldBe(86400);
        status.MaxAttempts.ShouldBe(20);
        var metadata = status.Metadata.ShouldNotBeNull();
        metadata.GetProperty("customer").GetString().ShouldBe("c-42");
        metadata.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task The_boundaries_of_every_range_are_accepted()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("submit-boundaries", deadline.Token);

        string[] bodies =
        [
            DemoJobs.Simulate("\"steps\":1,\"stepDurationMs\":0", "\"priority\":\"high\",\"timeoutSeconds\":1,\"maxAttempts\":1"),
            DemoJobs.Simulate("\"steps\":2,\"stepDurationMs\":0,\"failTimes\":0", "\"priority\":\"normal\",\"timeoutSeconds\":86400,\"maxAttempts\":20,\"metadata\":{}"),
            DemoJobs.Quick("\"callbackUrl\":\"http://example.com/hook\",\"metadata\":null"),
        ];
        foreach (var body in bodies)
        {
            await tenant.SubmitAsync(body, deadline.Token);
        }

        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(bodies.Length);
    }
}
