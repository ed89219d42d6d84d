using System.Net;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>One test's tenant and the API calls the webhook scenarios make with its key.</summary>
public sealed class WebhookTenant(HttpClient api) : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public HttpClient Api => api;

    public Task<HttpResponseMessage> PostEndpointAsync(object body, CancellationToken cancellationToken) =>
        api.PostAsync("/webhooks/endpoints", WebhookJson.Body(body), cancellationToken);

    public async Task<CreatedEndpoint> CreateEndpointAsync(Uri url, string[]? eventTypes, CancellationToken cancellationToken)
    {
        using var response = await PostEndpointAsync(new { url, eventTypes }, cancellationToken);
        return await response.ReadAsync<CreatedEndpoint>(HttpStatusCode.Created, cancellationToken);
    }

    public async Task<EndpointView> GetEndpointAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync($"/webhooks/endpoints/{id}", cancellationToken);
        return await response.ReadAsync<EndpointView>(HttpStatusCode.OK, cancellationToken);
    }

    public async Task<RotatedSecret> RotateSecretAsync(Guid endpointId, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsync($"/webhooks/endpoints/{endpointId}/rotate-secret", null, cancellationToken);
        return await response.ReadAsync<RotatedSecret>(HttpStatusCode.OK, cancellationToken);
    }

    public async Task<string> CallbackSecretAsync(CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync("/webhooks/callback-secret", cancellationToken);
        return (await response.ReadAsync<CallbackSecret>(HttpStatusCode.OK, cancellationToken)).Secret;
    }

    /// <summary>Submits a <c>demo.simulate</c> job of one instant step (optionally with its own callback URL).</summary>
    public async Task<SubmittedJob> SubmitQuickJobAsync(CancellationToken cancellationToken, Uri? callbackUrl = null)
    {
        var body = new Dictionary<string, object>
        {
            ["type"] = "demo.simulate",
            ["payload"] = new { steps = 1, stepDurationMs = 0 },
        };
        if (callbackUrl is not null)
        {
            body["callbackUrl"] = callbackUrl;
        }

        using var response = await api.PostAsync("/jobs", WebhookJson.Body(body), cancellationToken);
        return await response.ReadAsync<SubmittedJob>(HttpStatusCode.Accepted, cancellationToken);
    }

    public async Task<DeliveryView[]> ListDeliveriesAsync(string query, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync("/webhooks/deliveries" + query, cancellationToken);
        return (await response.ReadAsync<DeliveryList>(HttpStatusCode.OK, cancellationToken)).Items;
    }

    public async Task<DeliveryDetail> GetDeliveryAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync($"/webhooks/deliveries/{id}", cancellationToken);
        return await response.ReadAsync<DeliveryDetail>(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>Polls the deliveries matching <paramref name="query"/> until <paramref name="condition"/> holds (the token is the deadline).</summary>
    public async Task<DeliveryView[]> WaitForDeliveriesAsync(string query, Func<DeliveryView[], bool> condition, string what, CancellationToken cancellationToken)
    {
        DeliveryView[] last = [];
        try
        {
            while (true)
            {
                last = await ListDeliveriesAsync(query, cancellationToken);
                if (condition(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"Deliveries {query} never got to '{what}' before the deadline; last seen: {JsonSerializer.Serialize(last, WebhookJson.Options)}");
        }
    }

    public void Dispose() => api.Dispose();
}
