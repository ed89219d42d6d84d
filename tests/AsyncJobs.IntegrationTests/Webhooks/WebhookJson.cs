using System.Net;
using System.Text;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Webhooks;

public static class WebhookJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static StringContent Body(object value) => new(JsonSerializer.Serialize(value, Options), Encoding.UTF8, "application/json");

    /// <summary>Asserts the status, then reads the body as <typeparamref name="T"/>; the body is in the message when either fails.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var call = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        response.StatusCode.ShouldBe(expected, $"{call} answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Options) ?? throw new ShouldAssertException($"{call} answered null.");
    }
}
