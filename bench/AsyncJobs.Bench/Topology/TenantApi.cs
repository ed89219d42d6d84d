using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AsyncJobs.Bench.Topology;

/// <summary>One tenant's view of the public API and the notifier.</summary>
public sealed class TenantApi(BenchHttp http, Uri apiUrl, Uri notifierUrl, Guid tenantId, string apiKey)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The trivial job every throughput scenario submits.</summary>
    public static readonly byte[] TrivialJob = Encoding.UTF8.GetBytes("""{"type":"demo.simulate","payload":{"steps":1,"stepDurationMs":0}}""");

    public Guid TenantId { get; } = tenantId;

    public Uri ApiUrl { get; } = apiUrl;

    public Uri NotifierUrl { get; } = notifierUrl;

    public string ApiKey { get; } = apiKey;

    public Uri JobsUrl { get; } = new(apiUrl, "/jobs");

    private static readonly JsonSerializerOptions WithoutNulls = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Job(object payload, int? maxAttempts = null) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type = "demo.simulate", payload, maxAttempts }, WithoutNulls);

    /// <summary>Submits and answers whether the API accepted (202); the body is read, as a client would.</summary>
    public async Task<bool> TrySubmitAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = SubmitRequest(body);
        using var response = await http.Requests.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    public async Task<Guid> SubmitAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = SubmitRequest(body);
        using var response = await http.Requests.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var accepted = await response.Content.ReadFromJsonAsync<AcceptedJob>(cancellationToken)
            ?? throw new InvalidOperationException("POST /jobs answered 202 without a body.");
        return accepted.Id;
    }

    public async Task<HttpStatusCode> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ApiUrl, $"/jobs/{jobId}/cancel"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await http.Requests.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>A POST with the tenant's key, for endpoints the harness only probes (e.g. webhooks).</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ApiUrl, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await http.Requests.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public Uri JobEventsUrl(Guid jobId) => new(NotifierUrl, $"/jobs/{jobId}/events");

    public Uri TenantEventsUrl => new(NotifierUrl, "/events");

    private HttpRequestMessage SubmitRequest(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, JobsUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return request;
    }

    private sealed record AcceptedJob(Guid Id);
}
