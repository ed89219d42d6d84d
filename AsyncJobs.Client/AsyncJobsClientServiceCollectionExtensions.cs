using AsyncJobs.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="AsyncJobsClient"/> the way an Aspire application expects.</summary>
public static class AsyncJobsClientServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> that calls the API.</summary>
    public const string ApiClientName = "AsyncJobs.Api";

    /// <summary>The name of the <see cref="HttpClient"/> that opens event streams on the notifier.</summary>
    public const string EventsClientName = "AsyncJobs.Events";

    /// <summary>
    /// Registers <see cref="AsyncJobsClient"/> as a typed client. Options bind from the configuration section
    /// <c>AsyncJobs</c> (<c>ApiKey</c>, <c>BaseAddress</c>, <c>EventsAddress</c>, ...) and then <paramref name="configure"/>.
    /// Addresses such as <c>https+http://api</c> resolve through service discovery. API calls go through the standard
    /// resilience handler, which retries POSTs too: every submission carries one <c>Idempotency-Key</c> per call, so a
    /// retry can never create a second job. Event streams use a client without timeout or retries; they reconnect themselves.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code, after configuration, e.g. <c>o =&gt; o.BaseAddress = new("https+http://api")</c>.</param>
    /// <returns>The API client's builder, to add handlers or change its resilience.</returns>
    public static IHttpClientBuilder AddAsyncJobsClient(this IServiceCollection services, Action<AsyncJobsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AsyncJobsClientOptions>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(AsyncJobsClientOptions.SectionName).Bind(options));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddServiceDiscovery();

        // Defaults from ConfigureHttpClientDefaults (ServiceDefaults adds a standard resilience handler to every client)
        // would cut streams at the total timeout and stack a second retry layer: both clients set their own.
        // RemoveAllResilienceHandlers is the library's own way to do that; it is marked experimental (EXTEXP0001).
#pragma warning disable EXTEXP0001
        services.AddHttpClient(EventsClientName, (provider, http) => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .AddServiceDiscovery();

        var api = services.AddHttpClient(ApiClientName, (provider, http) =>
            {
                if (provider.GetRequiredService<IOptions<AsyncJobsClientOptions>>().Value.BaseAddress is { } baseAddress)
                {
                    http.BaseAddress = baseAddress;
                }
            })
            .RemoveAllResilienceHandlers()
            .AddServiceDiscovery();
#pragma warning restore EXTEXP0001
        api.AddStandardResilienceHandler(resilience =>
        {
            // POST is retried on purpose (the default; DisableForUnsafeHttpMethods is not called): submissions are idempotent
            // by key. 429 and 503 with Retry-After are the API's back-pressure: the client waits those out itself, within
            // MaxRetryAfterDelay, instead of burning the pipeline's attempts and total timeout on them.
            resilience.Retry.ShouldHandle = arguments => ValueTask.FromResult(IsTransient(arguments.Outcome));
        });
        api.AddTypedClient<AsyncJobsClient>((http, provider) => new AsyncJobsClient(
            http,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(EventsClientName),
            provider.GetRequiredService<IOptions<AsyncJobsClientOptions>>().Value,
            provider.GetService<TimeProvider>()));
        return api;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is not { StatusCode: System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable, Headers.RetryAfter: not null } &&
        HttpClientResiliencePredicates.IsTransient(outcome);
}
