using AsyncJobs.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AsyncJobs.Client.Webhooks;

/// <summary>Registers <see cref="WebhookSignatureFilter"/> on webhook receiver endpoints, and reads what it verified.</summary>
public static class WebhookReceiverExtensions
{
    /// <summary>
    /// Accepts only requests signed with one of <paramref name="secrets"/> (during a rotation, give both) and timestamped
    /// within <see cref="WebhookVerifier.DefaultTolerance"/>; others get <c>401</c> with a problem.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint (or group) to protect.</param>
    /// <param name="secrets">The accepted secrets (<c>whsec_…</c>).</param>
    public static TBuilder RequireWebhookSignature<TBuilder>(this TBuilder builder, params IEnumerable<string> secrets)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireWebhookSignature(new WebhookVerifier(secrets));

    /// <summary>Accepts only requests <paramref name="verifier"/> verifies (its secrets and its tolerance).</summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint (or group) to protect.</param>
    /// <param name="verifier">The verifier to use for every request.</param>
    public static TBuilder RequireWebhookSignature<TBuilder>(this TBuilder builder, WebhookVerifier verifier)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter(new WebhookSignatureFilter(verifier));
        return builder;
    }

    /// <summary>
    /// Accepts only requests the verifier chosen per request verifies: use it to read the secrets from configuration or a
    /// store that changes (e.g. <c>IOptionsMonitor</c>), so a rotation needs no restart.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or group builder.</typeparam>
    /// <param name="builder">The endpoint (or group) to protect.</param>
    /// <param name="verifier">Makes the verifier for a request (its services are in <c>HttpContext.RequestServices</c>).</param>
    public static TBuilder RequireWebhookSignature<TBuilder>(this TBuilder builder, Func<HttpContext, WebhookVerifier> verifier)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(verifier);
        builder.AddEndpointFilter(new WebhookSignatureFilter(verifier));
        return builder;
    }

    /// <summary>The webhook <see cref="WebhookSignatureFilter"/> verified for this request.</summary>
    /// <param name="context">The request's context.</param>
    /// <exception cref="InvalidOperationException">The endpoint has no <c>RequireWebhookSignature</c>.</exception>
    public static VerifiedWebhook GetVerifiedWebhook(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<VerifiedWebhook>()
            ?? throw new InvalidOperationException("No verified webhook: add .RequireWebhookSignature(...) to this endpoint.");
    }
}
