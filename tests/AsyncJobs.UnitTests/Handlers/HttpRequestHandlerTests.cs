using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Handlers.BuiltIn;
using Shouldly;

namespace AsyncJobs.UnitTests.Handlers;

/// <summary><c>http.request</c> against a real loopback server: what succeeds, and how each failure is classified.</summary>
public sealed class HttpRequestHandlerTests(LoopbackReceiver receiver) : IClassFixture<LoopbackReceiver>, IDisposable
{
    private readonly HttpRequestJobServices services = new(allowLoopback: true);

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task A_json_answer_is_the_result_parsed()
    {
        var progress = new RecordedProgress();

        var result = await services.Handler.ExecuteAsync(Get("/json"), progress.Context(TestContext.Current.CancellationToken));

        result.Status.ShouldBe(200);
        result.Headers["content-type"].ShouldStartWith("application/json");
        result.Body.ShouldNotBeNull().GetProperty("ok").GetBoolean().ShouldBeTrue();
        result.Body.Value.GetProperty("items").GetArrayLength().ShouldBe(3);
        result.BodyTruncated.ShouldBeFalse();
        result.ElapsedMs.ShouldBeGreaterThanOrEqualTo(0);
        progress.Reports.Select(p => p.Message).ShouldBe(["Sending", "Reading response"]);
    }

    [Fact]
    public async Task The_result_document_has_status_headers_body_and_elapsed_time()
    {
        var json = await ((IJobHandler)services.Handler).ExecuteAsync(
            $$"""{"url":"{{receiver.Url("/json")}}"}""", new RecordedProgress().Context(TestContext.Current.CancellationToken));

        using var document = JsonDocument.Parse(json);
        document.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["status", "headers", "body", "bodyTruncated", "elapsedMs"]);
        document.RootElement.GetProperty("body").GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_text_answer_is_the_result_as_text()
    {
        var result = await ExecuteAsync(Get("/text"));

        result.Body.ShouldNotBeNull().GetString().ShouldBe("plain words");
        result.Headers["content-type"].ShouldBe("text/plain; charset=utf-8");
        result.Headers["content-length"].ShouldBe("11");
    }

    [Fact]
    public async Task A_large_answer_is_cut_at_64_KiB_as_text()
    {
        var result = await ExecuteAsync(Get("/large"));

        result.BodyTruncated.ShouldBeTrue();
        result.Body.ShouldNotBeNull().GetString().ShouldNotBeNull().Length.ShouldBe(HttpRequestHandler.MaxBodyBytes);
        result.Headers["content-length"].ShouldBe(LoopbackReceiver.LargeBodyBytes.ToString());
    }

    [Fact]
    public async Task An_empty_answer_has_no_body()
    {
        var result = await ExecuteAsync(Get("/empty"));

        result.Status.ShouldBe(204);
        result.Body.ShouldBeNull();
    }

    [Fact]
    public async Task Method_headers_and_body_are_sent()
    {
        var payload = new HttpRequestPayload
        {
            Url = receiver.Url("/echo").ToString(),
            Method = "PUT",
            Headers = new Dictionary<string, string> { ["X-Token"] = "secret-1", ["Content-Type"] = "application/merge-patch+json" },
            Body = JsonElement.Parse("""{"name":"report","size":3}"""),
        };

        var echo = (await ExecuteAsync(payload)).Body.ShouldNotBeNull();

        echo.GetProperty("method").GetString().ShouldBe("PUT");
        echo.GetProperty("token").GetString().ShouldBe("secret-1");
        echo.GetProperty("contentType").GetString().ShouldBe("application/merge-patch+json");
        JsonElement.DeepEquals(JsonElement.Parse(echo.GetProperty("body").GetString()!), payload.Body.Value).ShouldBeTrue();
    }

    [Fact]
    public async Task An_expected_status_succeeds_even_when_it_is_not_2xx()
    {
        var result = await ExecuteAsync(Get("/status/404/expected") with { ExpectStatus = [404, 410] });

        result.Status.ShouldBe(404);
    }

    [Fact]
    public async Task A_2xx_that_was_not_expected_fails_permanently()
    {
        var failure = await FailureAsync(Get("/json") with { ExpectStatus = [201] });

        failure.ErrorType.ShouldBe("http_status");
        failure.Retryable.ShouldBeFalse();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task Server_errors_throttling_and_request_timeouts_are_retryable(int status)
    {
        var failure = await FailureAsync(Get($"/status/{status}/retryable"));

        failure.ErrorType.ShouldBe("http_status");
        failure.Retryable.ShouldBeTrue();
        failure.Message.ShouldContain($"answered {status}");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Other_client_errors_are_permanent(int status)
    {
        var failure = await FailureAsync(Get($"/status/{status}/permanent"));

        failure.ErrorType.ShouldBe("http_status");
        failure.Retryable.ShouldBeFalse();
    }

    [Fact]
    public async Task Retry_After_is_passed_on_in_the_message()
    {
        var failure = await FailureAsync(Get("/status/503/retry-after"));

        failure.Message.ShouldContain("Retry-After: 7");
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed_and_fails_permanently()
    {
        var failure = await FailureAsync(Get("/redirect"));

        failure.ErrorType.ShouldBe("http_redirect");
        failure.Retryable.ShouldBeFalse();
        failure.Message.ShouldContain("http://example.com/elsewhere");
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeout_fails_retryably()
    {
        var failure = await FailureAsync(Get("/slow") with { TimeoutSeconds = 1 });

        failure.ErrorType.ShouldBe("http_timeout");
        failure.Retryable.ShouldBeTrue();
        failure.Message.ShouldContain("within 1 s");
    }

    [Fact]
    public async Task A_refused_connection_fails_retryably()
    {
        var failure = await FailureAsync(new HttpRequestPayload { Url = $"http://127.0.0.1:{ClosedPort()}/" });

        failure.ErrorType.ShouldBe("http_unreachable");
        failure.Retryable.ShouldBeTrue();
    }

    [Fact]
    public async Task A_cancelled_job_stops_waiting_and_is_not_reported_as_a_timeout()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        var exception = await Should.ThrowAsync<Exception>(() =>
            services.Handler.ExecuteAsync(Get("/slow"), new RecordedProgress().Context(cancellation.Token)));

        exception.ShouldBeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public void A_dry_run_plans_the_call_without_making_it()
    {
        var plan = services.Handler.Plan(JsonElement.Parse($$"""{"url":"{{receiver.Url("/status/200/planned")}}","method":"DELETE","timeoutSeconds":5}"""));

        plan.ShouldBe(new HttpRequestPlan("DELETE", receiver.Url("/status/200/planned").ToString(), 5));
        receiver.Hits("/status/200/planned").ShouldBe(0);
    }

    private HttpRequestPayload Get(string pathAndQuery) => new() { Url = receiver.Url(pathAndQuery).ToString() };

    private Task<HttpRequestResult> ExecuteAsync(HttpRequestPayload payload) =>
        services.Handler.ExecuteAsync(payload, new RecordedProgress().Context(TestContext.Current.CancellationToken));

    private Task<JobFailedException> FailureAsync(HttpRequestPayload payload) => Should.ThrowAsync<JobFailedException>(() => ExecuteAsync(payload));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
