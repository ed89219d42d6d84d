using System.Net;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>The admin endpoint that creates tenants and their first API key.</summary>
public static class TenantAdmin
{
    public const string AdminKeyHeader = "X-Admin-Key";

    public static string UniqueName(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    /// <summary>POST /admin/tenants; <paramref name="adminKey"/> null sends no admin key.</summary>
    public static async Task<HttpResponseMessage> PostTenantAsync(
        HttpClient anonymousApi, string? adminKey, string name, int? submissionsPerMinute, int? maxInFlight, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object> { ["name"] = name };
        if (submissionsPerMinute is { } perMinute)
        {
            body["submissionsPerMinute"] = perMinute;
        }

        if (maxInFlight is { } inFlight)
        {
            body["maxInFlight"] = inFlight;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/tenants") { Content = ApiJson.Body(JsonSerializer.Serialize(body)) };
        if (adminKey is not null)
        {
            request.Headers.TryAddWithoutValidation(AdminKeyHeader, adminKey);
        }

        return await anonymousApi.SendAsync(request, cancellationToken);
    }

    public static async Task<CreatedTenant> CreateAsync(
        HttpClient anonymousApi, string adminKey, string name, int? submissionsPerMinute, int? maxInFlight, CancellationToken cancellationToken)
    {
        using var response = await PostTenantAsync(anonymousApi, adminKey, name, submissionsPerMinute, maxInFlight, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, $"{ApiJson.Describe(response)}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await response.ReadAsync<CreatedTenant>(cancellationToken);
    }
}
