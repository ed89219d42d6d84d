using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AsyncJobs.Client.Http;
using AsyncJobs.Client.Jobs;
using AsyncJobs.Client.Problems;

namespace AsyncJobs.Client;

/// <summary>
/// A typed client of the AsyncJobs API and its notifier: submit jobs with safe retries, read, list, cancel and retry
/// them, follow their events over resumable Server-Sent Events, wait for their outcome, and manage webhooks.
/// Register it with <c>services.AddAsyncJobsClient(...)</c>; it is thread-safe and cheap to create.
/// Every refused call throws an <see cref="AsyncJobsProblemException"/> (or a subclass) with the RFC 9457 fields.
/// </summary>
public sealed partial class AsyncJobsClient
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string ReplayedHeader = "Idempotent-Replayed";

    private readonly HttpClient api;
    private readonly HttpClient events;
    private readonly AsyncJobsClientOptions options;
    private readonly TimeProvider time;

    /// <summary>A client that calls the API with <paramref name="api"/> and opens event streams with <paramref name="events"/>.</summary>
    /// <param name="api">Calls the API; its <see cref="HttpClient.BaseAddress"/> is used when <see cref="AsyncJobsClientOptions.BaseAddress"/> is null.</param>
    /// <param name="events">Opens event streams; it should have no request timeout and no retry handler (streams reconnect by themselves).</param>
    /// <param name="options">The client's settings.</param>
    /// <param name="time">The clock for waits and backoff; the system clock when null.</param>
    public AsyncJobsClient(HttpClient api, HttpClient events, AsyncJobsClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        this.api = api;
        this.events = events;
        this.options = options;
        this.time = time ?? TimeProvider.System;
        if (api.BaseAddress is null && options.BaseAddress is not null)
        {
            api.BaseAddress = options.BaseAddress;
        }
    }

    /// <summary>A client that uses one <see cref="HttpClient"/> for the API and the event streams (simple set-ups and tests).</summary>
    /// <param name="http">Calls the API and opens streams; give it an infinite <see cref="HttpClient.Timeout"/> if streams stay open long.</param>
    /// <param name="options">The client's settings.</param>
    public AsyncJobsClient(HttpClient http, AsyncJobsClientOptions options)
        : this(http, http, options)
    {
    }

    /// <summary>
    /// Submits a job and answers its handle at once (the API's <c>202 Accepted</c>). The call carries one
    /// <c>Idempotency-Key</c> (generated here unless <paramref name="submitOptions"/> gives one) on every retry,
    /// so a retried submission can never create a second job.
    /// </summary>
    /// <param name="type">The job type, e.g. <c>demo.simulate</c>.</param>
    /// <param name="payload">The job's input, validated by the job type's schema.</param>
    /// <param name="submitOptions">Priority, timeout, attempts, callback URL, metadata and the idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call (the job may still have been accepted; submit again with the same key to find out).</param>
    /// <exception cref="AsyncJobsInvalidRequestException">The submission is invalid (unknown type, bad payload, ...).</exception>
    /// <exception cref="AsyncJobsThrottledException">Rate-limited or backlog full beyond the client's bounded waits.</exception>
    public Task<JobHandle> SubmitAsync(string type, JsonElement payload, SubmitOptions? submitOptions = null, CancellationToken cancellationToken = default) =>
        SubmitCoreAsync(type, payload, submitOptions, cancellationToken);

    /// <summary>
    /// Submits a job whose payload is serialized from <paramref name="payload"/> (camelCase JSON). A <see cref="string"/> is
    /// sent as a JSON string: parse JSON text into a <see cref="JsonElement"/> first (<c>JsonElement.Parse(text)</c>).
    /// </summary>
    /// <typeparam name="TPayload">The payload's type.</typeparam>
    /// <param name="type">The job type, e.g. <c>demo.simulate</c>.</param>
    /// <param name="payload">The job's input.</param>
    /// <param name="submitOptions">Priority, timeout, attempts, callback URL, metadata and the idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <inheritdoc cref="SubmitAsync(string, JsonElement, SubmitOptions?, CancellationToken)" path="/exception"/>
    public Task<JobHandle> SubmitAsync<TPayload>(string type, TPayload payload, SubmitOptions? submitOptions = null, CancellationToken cancellationToken = default) =>
        SubmitCoreAsync(type, JsonSerializer.SerializeToElement(payload, ClientJson.Options), submitOptions, cancellationToken);

    /// <summary>Asks what a submission would do (<c>?dryRun=true</c>): validated and planned, nothing persisted.</summary>
    /// <typeparam name="TPayload">The payload's type.</typeparam>
    /// <param name="type">The job type.</param>
    /// <param name="payload">The job's input.</param>
    /// <param name="submitOptions">Priority, timeout and attempts to plan with (the idempotency key is not used).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsInvalidRequestException">The submission is invalid.</exception>
    public async Task<JobPlan> PlanAsync<TPayload>(string type, TPayload payload, SubmitOptions? submitOptions = null, CancellationToken cancellationToken = default)
    {
        var body = SubmissionBody(type, JsonSerializer.SerializeToElement(payload, ClientJson.Options), submitOptions);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "jobs?dryRun=true") { Content = JsonBody(body) }, cancellationToken);
        return await ReadAsync<JobPlan>(response, cancellationToken);
    }

    /// <summary>Gets a job: state, progress, result or error, and history.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such job for this tenant (another tenant's job included).</exception>
    public async Task<Job> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"jobs/{id}"), cancellationToken);
        return await ReadAsync<Job>(response, cancellationToken);
    }

    /// <summary>Gets a succeeded job's result document, deserialized as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The result's type (camelCase JSON); <see cref="JsonElement"/> for the raw document.</typeparam>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such job, or it has not succeeded (type <see cref="AsyncJobsProblemTypes.ResultNotAvailable"/>).</exception>
    public async Task<T> GetResultAsync<T>(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"jobs/{id}/result"), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>
    /// Cancels a job: a queued or retrying job is cancelled at once; a running job's handler is told to stop and the job
    /// ends <see cref="JobStatus.Cancelled"/> shortly after (follow it with <see cref="WaitAsync(Guid, CancellationToken)"/>).
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job right after the request.</returns>
    /// <exception cref="AsyncJobsConflictException">The job has already finished (<see cref="AsyncJobsProblemTypes.JobAlreadyFinished"/>).</exception>
    /// <exception cref="AsyncJobsNotFoundException">No such job for this tenant.</exception>
    public async Task<Job> CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"jobs/{id}/cancel"), cancellationToken);
        return await ReadAsync<Job>(response, cancellationToken);
    }

    /// <summary>Queues a failed (dead-lettered) job again with a fresh set of attempts; its history keeps the earlier errors.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, queued again.</returns>
    /// <exception cref="AsyncJobsConflictException">The job is not failed (<see cref="AsyncJobsProblemTypes.JobNotFailed"/>).</exception>
    /// <exception cref="AsyncJobsNotFoundException">No such job for this tenant.</exception>
    public async Task<Job> RetryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"jobs/{id}/retry"), cancellationToken);
        return await ReadAsync<Job>(response, cancellationToken);
    }

    /// <summary>Lists the tenant's jobs, newest first, following the keyset pages (<c>nextCursor</c>) as the caller enumerates.</summary>
    /// <param name="filter">State, type, creation time and page size; all jobs when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <exception cref="AsyncJobsInvalidRequestException">A filter value is invalid.</exception>
    public async IAsyncEnumerable<JobSummary> ListAsync(JobListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListPageAsync(filter, cursor, cancellationToken);
            foreach (var job in page.Items)
            {
                yield return job;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Gets one page of the tenant's jobs, newest first.</summary>
    /// <param name="filter">State, type, creation time and page size; all jobs when null.</param>
    /// <param name="cursor">The previous page's <see cref="JobPage.NextCursor"/>; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsInvalidRequestException">A filter value or the cursor is invalid.</exception>
    public async Task<JobPage> ListPageAsync(JobListFilter? filter = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (filter?.State is { } state)
        {
            query.Add($"state={state.ToApiName()}");
        }

        if (filter?.Type is { } type)
        {
            query.Add($"type={Uri.EscapeDataString(type)}");
        }

        if (filter?.CreatedAfter is { } after)
        {
            query.Add($"createdAfter={Uri.EscapeDataString(after.ToUniversalTime().ToString("O"))}");
        }

        if (filter?.PageSize is { } limit)
        {
            query.Add($"limit={limit}");
        }

        if (cursor is not null)
        {
            query.Add($"cursor={Uri.EscapeDataString(cursor)}");
        }

        var path = query.Count == 0 ? "jobs" : "jobs?" + string.Join('&', query);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return await ReadAsync<JobPage>(response, cancellationToken);
    }

    private async Task<JobHandle> SubmitCoreAsync(string type, JsonElement payload, SubmitOptions? submitOptions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var idempotencyKey = submitOptions?.IdempotencyKey ?? Guid.NewGuid().ToString("N");
        var body = SubmissionBody(type, payload, submitOptions);
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "jobs") { Content = JsonBody(body) };
                request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
                return request;
            },
            cancellationToken);
        var handle = await ReadAsync<JobHandle>(response, cancellationToken);
        var replayed = response.Headers.TryGetValues(ReplayedHeader, out var values) && values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        return handle with { IdempotencyKey = idempotencyKey, Replayed = replayed };
    }

    /// <summary>The submission's exact bytes, made once per call: the API fingerprints the body, so every retry must send the same bytes.</summary>
    private static byte[] SubmissionBody(string type, JsonElement payload, SubmitOptions? submitOptions)
    {
        var body = new Dictionary<string, object?> { ["type"] = type, ["payload"] = payload };
        Add("priority", submitOptions?.Priority);
        Add("timeoutSeconds", submitOptions?.TimeoutSeconds);
        Add("maxAttempts", submitOptions?.MaxAttempts);
        Add("callbackUrl", submitOptions?.CallbackUrl?.AbsoluteUri);
        Add("metadata", submitOptions?.Metadata);
        return JsonSerializer.SerializeToUtf8Bytes(body, ClientJson.Options);

        void Add(string name, object? value)
        {
            if (value is not null)
            {
                body[name] = value;
            }
        }
    }

    private static ByteArrayContent JsonBody(byte[] bytes) =>
        new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } };

    /// <summary>
    /// Sends a request to the API (building it afresh for each try), with the API key, and waits out <c>429</c> and
    /// <c>503</c> answers that carry a <c>Retry-After</c> a bounded number of times. Unsuccessful answers throw their problem.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken, bool allowNotModified = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            Authorize(request);
            var response = await api.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode || (allowNotModified && response.StatusCode == HttpStatusCode.NotModified))
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable &&
                    attempt < options.MaxRetryAfterAttempts &&
                    RetryAfter.Of(response, time) is { } wait && wait <= options.MaxRetryAfterDelay)
                {
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
                }

                throw await ProblemReader.ReadAsync(response, cancellationToken);
            }
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (options.ApiKey is { Length: > 0 } key && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(ClientJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"The API answered {(int)response.StatusCode} without a body.");
}
