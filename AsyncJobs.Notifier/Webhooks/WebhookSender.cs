using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using AsyncJobs.Core.Webhooks;
using AsyncJobs.Webhooks;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>
/// Makes one attempt of a delivery: POSTs its stored body, byte for byte, signed by the Standard Webhooks
/// specification, and reports what came back. Never throws for the receiver's sake: every failure is an outcome.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "webhooks";
    private const int ExcerptBytes = 4 * WebhookAttemptOutcome.MaxTextLength;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Sends <paramref name="delivery"/> signed with <paramref name="secrets"/> (several during a rotation).</summary>
    public async Task<WebhookAttemptOutcome> SendAsync(ClaimedDelivery delivery, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var messageId = WebhookMessageId.For(delivery.Id);
        var timestamp = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(WebhookHeaderNames.Id, messageId);
        request.Headers.TryAddWithoutValidation(WebhookHeaderNames.Timestamp, WebhookSigner.FormatTimestamp(timestamp));
        request.Headers.TryAddWithoutValidation(WebhookHeaderNames.Signature, new WebhookSigner(secrets).Sign(messageId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("AsyncJobs-Webhooks/1.0");

        // One deadline for the whole exchange, reading the excerpt included (HttpClient.Timeout stops at the headers).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var excerpt = await ReadExcerptAsync(response, deadline.Token);
            return new WebhookAttemptOutcome((int)response.StatusCode, Elapsed(started), excerpt, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptOutcome(null, Elapsed(started), null, $"No answer within {options.Value.Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException exception)
        {
            var cause = exception.InnerException as WebhookAddressRefusedException;
            return new WebhookAttemptOutcome(null, Elapsed(started), null, WebhookAttemptOutcome.Truncate(cause?.Message ?? exception.Message));
        }
    }

    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += chunk;
        }

        return read == 0 ? null : WebhookAttemptOutcome.Truncate(Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
