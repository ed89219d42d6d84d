using System.Net;
using AsyncJobs.IntegrationTests.Scenarios;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>
/// A tenant created for one test through the admin endpoint, with clients that carry its API key. Jobs submitted
/// with <see cref="SubmitHangingAsync"/> are cancelled on dispose, so they do not hold worker slots for later tests.
/// </summary>
public sealed class TestTenant(CreatedTenant created, HttpClient api, HttpClient notifier) : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly List<Guid> hanging = [];

    public Guid Id => created.TenantId;

    public string Name => created.Name;

    public string ApiKey => created.ApiKey;

    /// <summary>The API, as this tenant (Authorization: Bearer with its key).</summary>
    public HttpClient Api => api;

    /// <summary>The notifier, as this tenant.</summary>
    public HttpClient Notifier => notifier;

    public async Task<HttpResponseMessage> PostJobAsync(string json, CancellationToken cancellationToken, string? idempotencyKey = null, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs" + query) { Content = ApiJson.Body(json) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await api.SendAsync(request, cancellationToken);
    }

    /// <summary>Submits and asserts the 202.</summary>
    public async Task<SubmittedJob> SubmitAsync(string json, CancellationToken cancellationToken)
    {
        using var response = await PostJobAsync(json, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"{ApiJson.Describe(response)} for {json}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await response.ReadAsync<SubmittedJob>(cancellationToken);
    }

    public async Task<SubmittedJob> SubmitHangingAsync(CancellationToken cancellationToken)
    {
        var job = await SubmitAsync(DemoJobs.Hanging(), cancellationToken);
        hanging.Add(job.Id);
        return job;
    }

    public async Task<JobDocument> GetJobAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync($"/jobs/{id}", cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{ApiJson.Describe(response)}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await response.ReadAsync<JobDocument>(cancellationToken);
    }

    public Task<HttpResponseMessage> CancelAsync(Guid id, CancellationToken cancellationToken) => api.PostAsync($"/jobs/{id}/cancel", content: null, cancellationToken);

    public Task<HttpResponseMessage> RetryAsync(Guid id, CancellationToken cancellationToken) => api.PostAsync($"/jobs/{id}/retry", content: null, cancellationToken);

    public async Task<JobPage> ListAsync(string query, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync("/jobs" + query, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{ApiJson.Describe(response)}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await response.ReadAsync<JobPage>(cancellationToken);
    }

    /// <summary>Follows the job's event stream to its terminal event, then reads its status (which must be finished).</summary>
    public async Task<JobDocument> WaitForFinishAsync(SubmittedJob job, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobStreamEvent> events;
        try
        {
            events = await JobEvents.ReadUntilTerminalAsync(notifier, new Uri(job.Links.Events), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"Job {job.Id} did not finish before the deadline; now: {await DescribeAsync(job.Id)}");
        }

        var finished = await GetJobAsync(job.Id, cancellationToken);
        finished.IsFinished.ShouldBeTrue($"the stream ended with {events[^1].Type} but GET /jobs/{job.Id} says {finished.Status}");
        finished.Status.ShouldBe(events[^1].Type["job.".Length..]);
        return finished;
    }

    /// <summary>The job's status document as text, for failure messages (its own short deadline: the test's may be spent).</summary>
    public async Task<string> DescribeAsync(Guid id)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await api.GetAsync($"/jobs/{id}", timeout.Token);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}";
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return $"(GET /jobs/{id} failed: {exception.Message})";
        }
    }

    /// <summary>Polls the job's status until <paramref name="condition"/> holds (the caller's token is the deadline).</summary>
    public async Task<JobDocument> WaitUntilAsync(Guid id, Func<JobDocument, bool> condition, string what, CancellationToken cancellationToken)
    {
        JobDocument? last = null;
        try
        {
            while (true)
            {
                last = await GetJobAsync(id, cancellationToken);
                if (condition(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"Job {id} never got to '{what}' before the deadline; last seen: {last}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var id in hanging)
        {
            try
            {
                using var _ = await CancelAsync(id, cleanup.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                // Best effort: the job times out on its own after 60 s.
            }
        }

        api.Dispose();
        notifier.Dispose();
    }
}
