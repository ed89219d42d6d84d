using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AsyncJobs.Webhooks;

/// <summary>
/// Signs webhook messages by the Standard Webhooks specification: each signature is <c>v1,</c> + base64 of
/// HMAC-SHA256(key, <c>{msgId}.{timestamp}.{body}</c>). With several secrets (a rotation in progress) the header
/// carries one signature per secret, space-separated, so receivers holding either secret can verify.
/// </summary>
public sealed class WebhookSigner
{
    private readonly byte[][] keys;

    /// <summary>A signer for one or more secrets (<c>whsec_</c> + base64), in the order their signatures appear.</summary>
    /// <exception cref="ArgumentException">No secret, or a secret that is not <c>whsec_</c> + base64.</exception>
    public WebhookSigner(params IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        keys = [.. secrets.Select(WebhookSecret.KeyOf)];
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one secret is required.", nameof(secrets));
        }
    }

    /// <summary>The <c>webhook-signature</c> header value for a message whose body is this UTF-8 text.</summary>
    public string Sign(string messageId, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Sign(messageId, timestamp, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The <c>webhook-signature</c> header value for a message whose body is exactly these bytes.</summary>
    public string Sign(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var signatures = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            signatures[i] = "v1," + Convert.ToBase64String(ComputeHash(keys[i], messageId, timestamp.ToUnixTimeSeconds(), body));
        }

        return string.Join(' ', signatures);
    }

    /// <summary>The <c>webhook-timestamp</c> header value: whole seconds since the Unix epoch.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) => timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    internal static byte[] ComputeHash(byte[] key, string messageId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{unixSeconds}.")));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
