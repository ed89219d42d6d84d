using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>
/// <c>http.request</c>: calls a third-party URL once per attempt, within a timeout, and classifies the outcome:
/// a timeout, an unreachable host, 5xx, 429 and 408 are retryable; other statuses, redirects and addresses the
/// SSRF policy refuses are permanent. The response (status, a few headers, the body up to 64 KiB) is the result.
/// </summary>
public sealed partial class HttpRequestHandler(IHttpClientFactory httpClients, IOptions<HttpRequestJobOptions> options)
    : JobHandler<HttpRequestPayload, HttpRequestResult>
{
    public const string TypeName = "http.request";

    public const string ClientName = "http.request";

    public const int MaxBodyBytes = 64 * 1024;

    private const int MaxHeaders = 50;

    // Framing and routing headers belong to the client; a tenant setting them could desynchronise the request.
    private static readonly HashSet<string> ClientManagedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Content-Length", "Transfer-Encoding", "Upgrade", "TE", "Keep-Alive", "Proxy-Connection", "Expect",
    };

    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public override string Type => TypeName;

    protected override object? Plan(HttpRequestPayload payload) => new HttpRequestPlan(payload.Method, payload.Url, payload.TimeoutSeconds);

    protected override IEnumerable<(string Field, string Message)> ValidatePayload(HttpRequestPayload payload)
    {
        if (!string.IsNullOrWhiteSpace(payload.Url))
        {
            if (!Uri.TryCreate(payload.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return (nameof(payload.Url), "Use an absolute http or https URL.");
            }
            else if (url.UserInfo.Length > 0)
            {
                yield return (nameof(payload.Url), "Send credentials in headers, not in the URL.");
            }
        }

        if (payload.Body is not null && payload.Method == "GET")
        {
            yield return (nameof(payload.Body), "A GET request has no body.");
        }

        foreach (var message in HeaderErrors(payload))
        {
            yield return (nameof(payload.Headers), message);
        }

        if (payload.ExpectStatus?.Any(status => status is < 100 or > 599) == true)
        {
            yield return (nameof(payload.ExpectStatus), "Statuses are between 100 and 599.");
        }
    }

    public override async Task<HttpRequestResult> ExecuteAsync(HttpRequestPayload payload, JobContext context)
    {
        var url = new Uri(payload.Url);
        if (!options.Value.AddressPolicy().IsAllowed(url))
        {
            throw new JobFailedException("url_not_allowed", $"{url.IdnHost} is not an address http.request may call.", retryable: false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(payload.TimeoutSeconds));
        var client = httpClients.CreateClient(ClientName);
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = CreateRequest(payload, url);
            context.ReportProgress(10, "Sending", "send");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (!IsExpected(status, payload.ExpectStatus))
            {
                throw Unexpected(payload, url, response);
            }

            context.ReportProgress(50, "Reading response", "read");
            var (body, truncated) = await ReadBodyAsync(response.Content, timeout.Token);
            LogCalled(context.Logger, payload.Method, url, status, clock.ElapsedMilliseconds);
            return new HttpRequestResult(status, SelectedHeaders(response.Content.Headers), body, truncated, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Only the job's own token (cancel, job timeout, shutdown) may end the attempt with a cancellation: the
            // runner handles those. Any other cancellation here is this call timing out.
            throw new JobFailedException("http_timeout", $"{Describe(payload, url)} did not complete within {payload.TimeoutSeconds} s.", retryable: true, exception);
        }
        catch (HttpRequestException exception) when (exception.InnerException is AddressNotAllowedException refused)
        {
            throw new JobFailedException("url_not_allowed", refused.Message, retryable: false, exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new JobFailedException("http_unreachable", $"{Describe(payload, url)} failed: {exception.Message}", retryable: true, exception);
        }
    }

    // Without the query string, which may carry a tenant's secrets into errors and logs.
    private static string Describe(HttpRequestPayload payload, Uri url) => $"{payload.Method} {url.GetLeftPart(UriPartial.Path)}";

    private static HttpRequestMessage CreateRequest(HttpRequestPayload payload, Uri url)
    {
        var request = new HttpRequestMessage(new HttpMethod(payload.Method), url);
        if (payload.Body is { } body)
        {
            request.Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in payload.Headers ?? new Dictionary<string, string>())
        {
            if (request.Content is { } content && name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static bool IsExpected(int status, IReadOnlyList<int>? expected) =>
        expected is { Count: > 0 } ? expected.Contains(status) : status is >= 200 and < 300;

    private static JobFailedException Unexpected(HttpRequestPayload payload, Uri url, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var answered = $"{Describe(payload, url)} answered {status} {response.ReasonPhrase}";
        if (status is >= 300 and < 400)
        {
            return new JobFailedException("http_redirect", $"{answered}, redirecting to {response.Headers.Location?.OriginalString ?? "nowhere"}; redirects are not followed.", retryable: false);
        }

        var retryable = status is 408 or 429 or >= 500;
        var retryAfter = response.Headers.RetryAfter is { } after ? $" (Retry-After: {after})" : "";
        return new JobFailedException("http_status", $"{answered}{retryAfter}.", retryable);
    }

    private static async Task<(JsonElement? Body, bool Truncated)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // One byte more than kept tells a body of exactly the limit from a longer one, without reading the rest.
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        await using (var stream = await content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        if (length == 0)
        {
            return (null, false);
        }

        var truncated = length > MaxBodyBytes;
        length = Math.Min(length, MaxBodyBytes);
        if (!truncated && IsJson(content.Headers.ContentType))
        {
            try
            {
                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                return (document.RootElement.Clone(), false);
            }
            catch (JsonException)
            {
                // Labelled JSON but is not: keep it as text.
            }
        }

        var text = EncodingOf(content.Headers.ContentType).GetString(buffer, 0, length);
        return (JsonSerializer.SerializeToElement(text, JobsJson.Options), truncated);
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is { } mediaType &&
        (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static Encoding EncodingOf(MediaTypeHeaderValue? contentType)
    {
        try
        {
            return contentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private static Dictionary<string, string> SelectedHeaders(HttpContentHeaders headers)
    {
        var selected = new Dictionary<string, string>(StringComparer.Ordinal);
        if (headers.ContentType is { } contentType)
        {
            selected["content-type"] = contentType.ToString();
        }

        if (headers.ContentLength is { } contentLength)
        {
            selected["content-length"] = contentLength.ToString();
        }

        return selected;
    }

    private static IEnumerable<string> HeaderErrors(HttpRequestPayload payload)
    {
        if (payload.Headers is not { } headers)
        {
            yield break;
        }

        if (headers.Count > MaxHeaders)
        {
            yield return $"Send at most {MaxHeaders} headers.";
        }

        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(TokenCharacters))
            {
                yield return $"'{name}' is not a valid header name.";
            }
            else if (ClientManagedHeaders.Contains(name))
            {
                yield return $"{name} is set by the client, not by the job.";
            }
            else if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && payload.Body is null)
            {
                yield return $"{name} needs a body.";
            }

            if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                yield return $"The value of {name} must be one line of text.";
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "http.request {Method} {Host}{Path} answered {Status} in {ElapsedMs} ms")]
    private static partial void LogCalled(ILogger logger, string method, string host, string path, int status, long elapsedMs);

    private static void LogCalled(ILogger logger, string method, Uri url, int status, long elapsedMs) =>
        LogCalled(logger, method, url.Authority, url.AbsolutePath, status, elapsedMs);
}
