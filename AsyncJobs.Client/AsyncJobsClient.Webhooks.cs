using System.Text.Json;
using AsyncJobs.Client.Http;
using AsyncJobs.Client.Problems;
using AsyncJobs.Client.Webhooks;

namespace AsyncJobs.Client;

public sealed partial class AsyncJobsClient
{
    /// <summary>Lists the tenant's webhook endpoints (without secrets).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "webhooks/endpoints"), cancellationToken);
        return await ReadAsync<List<WebhookEndpoint>>(response, cancellationToken);
    }

    /// <summary>Creates a webhook endpoint; the answer holds its signing secret, shown only here and on rotation.</summary>
    /// <param name="url">Where to POST signed events: a public http or https URL.</param>
    /// <param name="eventTypes">The event types to deliver (e.g. <c>job.succeeded</c>); all when null or empty.</param>
    /// <param name="description">A note (up to 500 characters).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsInvalidRequestException">The URL is not allowed or a field is invalid.</exception>
    public async Task<CreatedWebhookEndpoint> CreateWebhookEndpointAsync(
        Uri url, IEnumerable<string>? eventTypes = null, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { url = url.AbsoluteUri, eventTypes = eventTypes?.ToArray(), description }, ClientJson.Options);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "webhooks/endpoints") { Content = JsonBody(body) }, cancellationToken);
        return await ReadAsync<CreatedWebhookEndpoint>(response, cancellationToken);
    }

    /// <summary>Gets a webhook endpoint, with why it was disabled if it was.</summary>
    /// <param name="id">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such endpoint for this tenant.</exception>
    public async Task<WebhookEndpoint> GetWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"webhooks/endpoints/{id}"), cancellationToken);
        return await ReadAsync<WebhookEndpoint>(response, cancellationToken);
    }

    /// <summary>Deletes a webhook endpoint and its deliveries.</summary>
    /// <param name="id">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such endpoint for this tenant.</exception>
    public async Task DeleteWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"webhooks/endpoints/{id}"), cancellationToken);
    }

    /// <summary>Rotates an endpoint's signing secret; the old one keeps signing beside the new one for a while (24 h).</summary>
    /// <param name="id">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such endpoint for this tenant.</exception>
    public async Task<RotatedWebhookSecret> RotateWebhookSecretAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"webhooks/endpoints/{id}/rotate-secret"), cancellationToken);
        return await ReadAsync<RotatedWebhookSecret>(response, cancellationToken);
    }

    /// <summary>Enables an endpoint that was disabled after failing for too long.</summary>
    /// <param name="id">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such endpoint for this tenant.</exception>
    public async Task<WebhookEndpoint> EnableWebhookEndpointAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"webhooks/endpoints/{id}/enable"), cancellationToken);
        return await ReadAsync<WebhookEndpoint>(response, cancellationToken);
    }

    /// <summary>Lists webhook deliveries, newest first.</summary>
    /// <param name="filter">State, endpoint, job and limit; the newest 20 when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsInvalidRequestException">A filter value is invalid.</exception>
    public async Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(WebhookDeliveryFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (filter?.State is { } state)
        {
            query.Add($"state={Uri.EscapeDataString(state)}");
        }

        if (filter?.EndpointId is { } endpointId)
        {
            query.Add($"endpointId={endpointId}");
        }

        if (filter?.JobId is { } jobId)
        {
            query.Add($"jobId={jobId}");
        }

        if (filter?.Limit is { } limit)
        {
            query.Add($"limit={limit}");
        }

        var path = query.Count == 0 ? "webhooks/deliveries" : "webhooks/deliveries?" + string.Join('&', query);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return (await ReadAsync<WebhookDeliveryList>(response, cancellationToken)).Items;
    }

    /// <summary>Gets a delivery with its body and every attempt (status, latency, response excerpt, error).</summary>
    /// <param name="id">The delivery's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AsyncJobsNotFoundException">No such delivery for this tenant.</exception>
    public async Task<WebhookDeliveryDetail> GetWebhookDeliveryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"webhooks/deliveries/{id}"), cancellationToken);
        return await ReadAsync<WebhookDeliveryDetail>(response, cancellationToken);
    }

    /// <summary>Delivers a failed (dead-lettered) or succeeded delivery again, now, with the same <c>webhook-id</c>.</summary>
    /// <param name="id">The delivery's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The delivery, pending again.</returns>
    /// <exception cref="AsyncJobsConflictException">The delivery is still pending (<see cref="AsyncJobsProblemTypes.WebhookDeliveryPending"/>).</exception>
    /// <exception cref="AsyncJobsNotFoundException">No such delivery for this tenant.</exception>
    public async Task<WebhookDelivery> RedeliverWebhookAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"webhooks/deliveries/{id}/redeliver"), cancellationToken);
        return await ReadAsync<WebhookDelivery>(response, cancellationToken);
    }

    /// <summary>Gets the secret that signs deliveries to jobs' own <c>callbackUrl</c> (created on first use).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> GetCallbackSecretAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "webhooks/callback-secret"), cancellationToken);
        return (await ReadAsync<CallbackSecret>(response, cancellationToken)).Secret;
    }

    /// <summary>Replaces the callback secret at once: deliveries from now on are signed with the new secret only.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> RotateCallbackSecretAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "webhooks/callback-secret/rotate"), cancellationToken);
        return (await ReadAsync<CallbackSecret>(response, cancellationToken)).Secret;
    }

    private sealed record WebhookDeliveryList(IReadOnlyList<WebhookDelivery> Items);

    private sealed record CallbackSecret(string Secret);
}
