using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AsyncJobs.Client;
using AsyncJobs.Client.Problems;
using Shouldly;

namespace AsyncJobs.UnitTests.Client;

/// <summary>
/// 429 and 503 with Retry-After are waited out a bounded number of times, each try with the same idempotency key;
/// beyond the bound, or for a wait longer than allowed, the throttling problem is thrown with its Retry-After.
/// </summary>
public sealed class RetryAfterTests
{
    private const string Accepted = """
        {"id":"5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10","status":"queued","createdAt":"2026-11-24T21:00:00Z","jobToken":"ajt_x",
         "links":{"self":"/jobs/5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10","events":"http://127.0.0.1:1/jobs/5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10/events",
         "cancel":"/jobs/5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10/cancel","result":"/jobs/5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10/result"}}
        """;

    [Fact]
    public async Task A_rate_limited_submission_waits_and_is_sent_again_with_the_same_key()
    {
        var api = new ScriptedApi(Throttled(429, "rate-limited", TimeSpan.Zero), Throttled(503, "backlog-full", TimeSpan.Zero), Answer(HttpStatusCode.Accepted, Accepted));
        var client = Client(api, maxAttempts: 3);

        var handle = await client.SubmitAsync("demo.simulate", new { steps = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        handle.Id.ShouldBe(Guid.Parse("5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10"));
        api.Keys.Count.ShouldBe(3);
        api.Keys.Distinct().ShouldBe([handle.IdempotencyKey]);
        api.Authorizations.ShouldAllBe(a => a == "Bearer ajk_test");
    }

    [Fact]
    public async Task Beyond_its_bound_the_throttling_problem_is_thrown_with_Retry_After()
    {
        var api = new ScriptedApi(Throttled(429, "rate-limited", TimeSpan.Zero), Throttled(429, "rate-limited", TimeSpan.Zero));
        var client = Client(api, maxAttempts: 1);

        var thrown = await Should.ThrowAsync<AsyncJobsThrottledException>(() =>
            client.SubmitAsync("demo.simulate", new { steps = 1 }, cancellationToken: TestContext.Current.CancellationToken));

        thrown.Type.ShouldBe(AsyncJobsProblemTypes.RateLimited);
        thrown.RetryAfter.ShouldBe(TimeSpan.Zero);
        api.Keys.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_wait_longer_than_allowed_is_thrown_at_once()
    {
        var api = new ScriptedApi(Throttled(503, "backlog-full", TimeSpan.FromMinutes(10)));
        var client = Client(api, maxAttempts: 3);

        var thrown = await Should.ThrowAsync<AsyncJobsThrottledException>(() =>
            client.SubmitAsync("demo.simulate", new { steps = 1 }, cancellationToken: TestContext.Current.CancellationToken));

        thrown.Type.ShouldBe(AsyncJobsProblemTypes.BacklogFull);
        thrown.RetryAfter.ShouldBe(TimeSpan.FromMinutes(10));
        api.Keys.Count.ShouldBe(1);
    }

    private static AsyncJobsClient Client(ScriptedApi api, int maxAttempts) =>
        new(new HttpClient(api) { BaseAddress = new Uri("http://api.test/") }, new AsyncJobsClientOptions { ApiKey = "ajk_test", MaxRetryAfterAttempts = maxAttempts });

    private static Func<HttpResponseMessage> Throttled(int status, string kind, TimeSpan retryAfter) => () =>
    {
        var response = Answer((HttpStatusCode)status, $$"""{"type":"https://asyncjobs.dev/problems/{{kind}}","title":"{{kind}}","status":{{status}}}""", "application/problem+json")();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    };

    private static Func<HttpResponseMessage> Answer(HttpStatusCode status, string json, string mediaType = "application/json") =>
        () => new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    /// <summary>Answers each request with the next scripted response; records the idempotency key and credential of each.</summary>
    private sealed class ScriptedApi(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int next;

        public List<string> Keys { get; } = [];

        public List<string?> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Keys.Add(request.Headers.GetValues("Idempotency-Key").Single());
            Authorizations.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(answers[next++]());
        }
    }
}
