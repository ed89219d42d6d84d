using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Handlers;

/// <summary>
/// <c>http.request</c> end to end against a receiver started by the test: a success, a retryable failure that uses
/// up its attempts, and a permanent one that does not retry.
/// </summary>
[Collection(HandlersCollectionDefinition.Name)]
public sealed class HttpRequestJobTests(HandlerTopologyFixture fixture) : HandlerScenario(fixture), IAsyncDisposable
{
    private readonly LoopbackReceiver receiver = new();

    public ValueTask DisposeAsync() => receiver.DisposeAsync();

    [Fact]
    public async Task A_call_answered_200_succeeds_with_the_response_as_its_result()
    {
        using var deadline = StartDeadline();
        using var api = Fixture.ApiClient();

        var job = await SubmitAsync(api, "http.request", new { url = receiver.StatusUrl(200, "hello"), timeoutSeconds = 10 }, deadline.Token);
        await FollowToEndAsync(job, "job.succeeded", deadline.Token);

        var result = await GetResultAsync(api, job.Id, deadline.Token);
        result.GetProperty("status").GetInt32().ShouldBe(200);
        result.GetProperty("headers").GetProperty("content-type").GetString().ShouldBe("application/json");
        result.GetProperty("body").GetProperty("name").GetString().ShouldBe("hello");
        receiver.Hits(200, "hello").ShouldBe(1);
    }

    [Fact]
    public async Task A_call_answered_503_every_time_fails_retryably_after_its_last_attempt()
    {
        using var deadline = StartDeadline();
        using var api = Fixture.ApiClient();

        var job = await SubmitAsync(api, "http.request", new { url = receiver.StatusUrl(503, "down"), timeoutSeconds = 10 }, deadline.Token, maxAttempts: 2);
        var events = await FollowToEndAsync(job, "job.failed", deadline.Token);

        events.Count(e => e.Type == "job.retrying").ShouldBe(1, string.Join(", ", events.Select(e => e.Type)));
        var failed = await GetJobAsync(api, job.Id, deadline.Token);
        failed.Attempt.ShouldBe(2);
        var error = failed.Error.ShouldNotBeNull();
        error.GetProperty("type").GetString().ShouldBe("http_status");
        error.GetProperty("retryable").GetBoolean().ShouldBeTrue();
        error.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("503");
        receiver.Hits(503, "down").ShouldBe(2);
    }

    [Fact]
    public async Task A_call_answered_404_fails_permanently_on_its_first_attempt()
    {
        using var deadline = StartDeadline();
        using var api = Fixture.ApiClient();

        var job = await SubmitAsync(api, "http.request", new { url = receiver.StatusUrl(404, "gone"), timeoutSeconds = 10 }, deadline.Token, maxAttempts: 3);
        var events = await FollowToEndAsync(job, "job.failed", deadline.Token);

        events.ShouldNotContain(e => e.Type == "job.retrying");
        var failed = await GetJobAsync(api, job.Id, deadline.Token);
        failed.Attempt.ShouldBe(1);
        var error = failed.Error.ShouldNotBeNull();
        error.GetProperty("type").GetString().ShouldBe("http_status");
        error.GetProperty("retryable").GetBoolean().ShouldBeFalse();
        receiver.Hits(404, "gone").ShouldBe(1);
    }

    [Fact]
    public async Task A_dry_run_plans_the_call_without_making_it()
    {
        using var deadline = StartDeadline();
        using var api = Fixture.ApiClient();

        using var response = await api.PostAsJsonAsync(
            "/jobs?dryRun=true", new { type = "http.request", payload = new { url = receiver.StatusUrl(200, "planned"), method = "DELETE" } }, deadline.Token);

        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var plan = JsonElement.Parse(text).GetProperty("plan");
        plan.GetProperty("method").GetString().ShouldBe("DELETE");
        plan.GetProperty("url").GetString().ShouldBe(receiver.StatusUrl(200, "planned"));
        plan.GetProperty("timeoutSeconds").GetInt32().ShouldBe(30);
        receiver.Hits(200, "planned").ShouldBe(0);
    }
}
