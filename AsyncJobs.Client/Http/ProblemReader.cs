using System.Text.Json;
using AsyncJobs.Client.Problems;

namespace AsyncJobs.Client.Http;

/// <summary>Turns an unsuccessful answer into the typed exception for its RFC 9457 problem.</summary>
internal static class ProblemReader
{
    public static async Task<AsyncJobsProblemException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter.Of(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json" && text.Length > 0)
        {
            try
            {
                return AsyncJobsProblemException.For(Parse(text, status), retryAfter);
            }
            catch (JsonException)
            {
                // Not a problem document after all: described below from the status line.
            }
        }

        var bare = new AsyncJobsProblem(
            "about:blank",
            response.ReasonPhrase,
            status,
            text.Length > 0 ? text[..Math.Min(text.Length, 500)] : null,
            null,
            new Dictionary<string, string[]>());
        return AsyncJobsProblemException.For(bare, retryAfter);
    }

    internal static AsyncJobsProblem Parse(string json, int fallbackStatus)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A problem is a JSON object.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errorsElement.EnumerateObject())
            {
                errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                    ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                    : [field.Value.ToString()];
            }
        }

        return new AsyncJobsProblem(
            String(root, "type") ?? "about:blank",
            String(root, "title"),
            root.TryGetProperty("status", out var s) && s.TryGetInt32(out var parsed) ? parsed : fallbackStatus,
            String(root, "detail"),
            String(root, "instance"),
            errors);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
