using System.Globalization;
using AsyncJobs.Client.Problems;
using AsyncJobs.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace AsyncJobs.Client.Webhooks;

/// <summary>
/// An endpoint filter for webhook receivers: reads the raw body, verifies it by the Standard Webhooks specification
/// with <see cref="WebhookVerifier"/> (any of several secrets, timestamp tolerance), answers <c>401</c> with a problem
/// (type <see cref="AsyncJobsProblemTypes.InvalidWebhookSignature"/>) when it does not verify, and otherwise hands the
/// verified message to the endpoint as <see cref="VerifiedWebhook"/> (<c>httpContext.GetVerifiedWebhook()</c>).
/// Add it with <c>.RequireWebhookSignature(...)</c>.
/// </summary>
/// <param name="verifier">Chooses the verifier per request, so secrets may come from configuration that changes (rotation).</param>
public sealed class WebhookSignatureFilter(Func<HttpContext, WebhookVerifier> verifier) : IEndpointFilter
{
    /// <summary>A filter that verifies with one fixed verifier.</summary>
    /// <param name="verifier">The verifier, holding the accepted secrets and the tolerance.</param>
    public WebhookSignatureFilter(WebhookVerifier verifier)
        : this(_ => verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
    }

    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var request = http.Request;
        // Buffered and rewound, so the endpoint may still bind or read the body after verification.
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, http.RequestAborted);
        request.Body.Position = 0;

        var bytes = body.ToArray();
        var headers = request.Headers;
        var result = verifier(http).Verify(name => headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null, bytes);
        if (!result.IsValid)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Type = AsyncJobsProblemTypes.InvalidWebhookSignature,
                Title = "The webhook did not verify",
                Detail = result.Message,
                Extensions = { ["failure"] = result.Failure.ToString() },
            });
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(headers[WebhookHeaderNames.Timestamp].ToString(), CultureInfo.InvariantCulture));
        http.Features.Set(new VerifiedWebhook(headers[WebhookHeaderNames.Id].ToString(), timestamp, bytes));
        return await next(context);
    }
}
