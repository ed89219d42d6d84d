using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AsyncJobs.Webhooks;

/// <summary>
/// Verifies a received webhook by the Standard Webhooks specification: the three headers are present, the
/// timestamp is within the tolerance of now (default 5 minutes, against replays), and one <c>v1</c> signature in
/// <c>webhook-signature</c> matches the exact body under one of the secrets. Several secrets let a receiver accept
/// both sides of a rotation. Signatures are compared in constant time.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>The timestamp tolerance when none is given (the specification's libraries use the same).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private readonly byte[][] keys;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider time;

    /// <summary>A verifier that accepts a signature made with any of <paramref name="secrets"/>.</summary>
    /// <param name="secrets">One or more secrets, <c>whsec_</c> + base64 (the prefix is optional).</param>
    /// <param name="tolerance">How far the timestamp may be from now, either way; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <exception cref="ArgumentException">No secret, or a secret that is not base64.</exception>
    public WebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        keys = [.. secrets.Select(WebhookSecret.KeyOf)];
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one secret is required.", nameof(secrets));
        }

        this.tolerance = tolerance ?? DefaultTolerance;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>A verifier for one secret.</summary>
    public WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? time = null)
        : this([secret], tolerance, time)
    {
    }

    /// <summary>Verifies a webhook whose body is this UTF-8 text.</summary>
    /// <param name="header">Looks up a request header by name (case-insensitive, as HTTP headers are); null when absent.</param>
    /// <param name="body">The body exactly as received.</param>
    public WebhookVerificationResult Verify(Func<string, string?> header, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(header, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Verifies a webhook whose body is exactly these bytes.</summary>
    /// <param name="header">Looks up a request header by name (case-insensitive, as HTTP headers are); null when absent.</param>
    /// <param name="body">The body exactly as received.</param>
    public WebhookVerificationResult Verify(Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Verify(header(WebhookHeaderNames.Id), header(WebhookHeaderNames.Timestamp), header(WebhookHeaderNames.Signature), body);
    }

    /// <summary>Verifies a webhook from its three header values and its exact body bytes.</summary>
    public WebhookVerificationResult Verify(string? messageId, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            var missing = string.IsNullOrEmpty(messageId) ? WebhookHeaderNames.Id
                : string.IsNullOrEmpty(timestamp) ? WebhookHeaderNames.Timestamp
                : WebhookHeaderNames.Signature;
            return new(WebhookVerificationFailure.MissingHeader, $"The '{missing}' header is missing.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return new(WebhookVerificationFailure.InvalidTimestamp, $"The '{WebhookHeaderNames.Timestamp}' header is not a number of seconds.");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var toleranceSeconds = (long)tolerance.TotalSeconds;
        if (unixSeconds < now - toleranceSeconds)
        {
            return new(WebhookVerificationFailure.TimestampTooOld, $"The message was signed {now - unixSeconds} s ago; at most {toleranceSeconds} s are accepted.");
        }

        if (unixSeconds > now + toleranceSeconds)
        {
            return new(WebhookVerificationFailure.TimestampTooNew, $"The message is signed {unixSeconds - now} s in the future; at most {toleranceSeconds} s are accepted.");
        }

        Span<byte> candidate = stackalloc byte[32];
        foreach (var key in keys)
        {
            var expected = WebhookSigner.ComputeHash(key, messageId, unixSeconds, body);
            foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // Other versions (v1a: asymmetric) may sit beside v1; they are not ours to check.
                if (!entry.StartsWith("v1,", StringComparison.Ordinal) ||
                    !Convert.TryFromBase64String(entry[3..], candidate, out var written) || written != expected.Length)
                {
                    continue;
                }

                if (CryptographicOperations.FixedTimeEquals(candidate[..written], expected))
                {
                    return WebhookVerificationResult.Valid;
                }
            }
        }

        return new(WebhookVerificationFailure.NoMatchingSignature, "No signature matches the body under the given secrets.");
    }
}
