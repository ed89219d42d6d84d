using System.Net;
using AsyncJobs.Client;
using AsyncJobs.Client.Problems;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Shouldly;

namespace AsyncJobs.UnitTests.Client;

/// <summary>
/// What AddAsyncJobsClient puts in the HTTP pipelines, also under ServiceDefaults-style defaults (a standard resilience
/// handler on every client): API calls, POST included, are retried on transient failures with one idempotency key;
/// event streams are never retried by a handler (they reconnect themselves).
/// </summary>
public sealed class ClientRegistrationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transient_failure_of_a_submission_is_retried_with_the_same_key(bool serviceDefaults)
    {
        var api = new CountingHandler(HttpStatusCode.InternalServerError);
        await using var services = Services(serviceDefaults, api, new CountingHandler(HttpStatusCode.OK));
        var client = services.GetRequiredService<AsyncJobsClient>();

        var thrown = await Should.ThrowAsync<AsyncJobsProblemException>(() =>
            client.SubmitAsync("demo.simulate", new { steps = 1 }, cancellationToken: TestContext.Current.CancellationToken));

        thrown.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        api.Requests.Count.ShouldBe(4, "the standard handler's three retries, POST included, and no second layer of retries");
        api.Requests.ShouldAllBe(r => r.Method == "POST");
        api.Requests.Select(r => r.IdempotencyKey).Distinct().Count().ShouldBe(1);
        api.Requests.ShouldAllBe(r => r.Url == "http://api.test/jobs" && r.Authorization == "Bearer ajk_from_configuration");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_events_client_has_no_retry_handler_and_no_timeout(bool serviceDefaults)
    {
        var events = new CountingHandler(HttpStatusCode.ServiceUnavailable);
        await using var services = Services(serviceDefaults, new CountingHandler(HttpStatusCode.OK), events);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(AsyncJobsClientServiceCollectionExtensions.EventsClientName);

        using var response = await http.GetAsync(new Uri("http://notifier.test/events"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        events.Requests.Count.ShouldBe(1);
        http.Timeout.ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void Options_come_from_the_AsyncJobs_section_then_from_code()
    {
        using var services = Services(false, new CountingHandler(HttpStatusCode.OK), new CountingHandler(HttpStatusCode.OK), o => o.EventsAddress = new Uri("https+http://notifier"));

        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AsyncJobsClientOptions>>().Value;

        options.BaseAddress.ShouldBe(new Uri("http://api.test/"));
        options.ApiKey.ShouldBe("ajk_from_configuration");
        options.EventsAddress.ShouldBe(new Uri("https+http://notifier"));
    }

    private static ServiceProvider Services(bool serviceDefaults, CountingHandler api, CountingHandler events, Action<AsyncJobsClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AsyncJobs:BaseAddress"] = "http://api.test/",
                ["AsyncJobs:ApiKey"] = "ajk_from_configuration",
            })
            .Build());
        if (serviceDefaults)
        {
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }

        services.AddAsyncJobsClient(configure).ConfigurePrimaryHttpMessageHandler(() => api);
        services.AddHttpClient(AsyncJobsClientServiceCollectionExtensions.EventsClientName).ConfigurePrimaryHttpMessageHandler(() => events);
        // No waits between retries: the count is what this test is about.
        services.Configure<HttpStandardResilienceOptions>(
            AsyncJobsClientServiceCollectionExtensions.ApiClientName + "-standard",
            o =>
            {
                o.Retry.Delay = TimeSpan.Zero;
                o.Retry.UseJitter = false;
            });
        return services.BuildServiceProvider();
    }

    private sealed class CountingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<(string Method, string Url, string? IdempotencyKey, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add((
                    request.Method.Method,
                    request.RequestUri!.ToString(),
                    request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
                    request.Headers.Authorization?.ToString()));
            }

            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("") });
        }
    }
}
