using System.Text.Json;
using AsyncJobs.Api.Problems;
using Microsoft.Net.Http.Headers;

namespace AsyncJobs.Api.Jobs;

/// <summary>
/// Reads a submission body by hand rather than through model binding, so every way a body can be wrong gets
/// its own problem type and names the field (a binder would answer one generic 400).
/// </summary>
public static class SubmissionReader
{
    public sealed record Body(SubmitJobRequest Request, byte[] Bytes);

    public static async Task<(Body? Body, ApiProblem? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, new ApiProblem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"Submit jobs as 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }

        var tooLarge = new ApiProblem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "The body is too large",
            $"A submission may be at most {maxBytes} bytes.");
        if (request.ContentLength > maxBytes)
        {
            return (null, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        JsonElement root;
        try
        {
            root = JsonElement.Parse(bytes);
        }
        catch (JsonException exception)
        {
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedJson, "Malformed JSON",
                bytes.Length == 0 ? "The body is empty; send a JSON object." : $"The body is not valid JSON: {exception.Message}"));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ApiProblem.Validation("body", "The body must be a JSON object."));
        }

        var errors = new Dictionary<string, string[]>();
        var submission = new SubmitJobRequest(
            Type: ReadString(root, "type", errors),
            Payload: root.TryGetProperty("payload", out var payload) ? payload : null,
            Priority: ReadString(root, "priority", errors),
            TimeoutSeconds: ReadInt(root, "timeoutSeconds", errors),
            MaxAttempts: ReadInt(root, "maxAttempts", errors),
            CallbackUrl: ReadString(root, "callbackUrl", errors),
            Metadata: root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind != JsonValueKind.Null ? metadata : null);
        return errors.Count > 0 ? (null, ApiProblem.Invalid(errors)) : (new Body(submission, bytes), null);
    }

    private static string? ReadString(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors[name] = ["Must be a string."];
        return null;
    }

    private static int? ReadInt(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors[name] = ["Must be an integer."];
        return null;
    }
}
