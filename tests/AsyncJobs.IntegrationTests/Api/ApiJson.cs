using System.Text;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Api;

public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON body exactly as written (tests send raw JSON so malformed and oddly typed fields reach the API untouched).</summary>
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options) ?? throw new ShouldAssertException($"{Describe(response)} answered JSON null; expected a {typeof(T).Name}.");
        }
        catch (JsonException exception)
        {
            throw new ShouldAssertException($"{Describe(response)} answered a body that is not a {typeof(T).Name}: {exception.Message}\n{text}");
        }
    }

    /// <summary>"POST /jobs → 400" for assertion messages.</summary>
    public static string Describe(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} → {(int)response.StatusCode}";
}
