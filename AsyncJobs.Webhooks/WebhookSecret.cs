using System.Security.Cryptography;

namespace AsyncJobs.Webhooks;

/// <summary>Signing secrets in the Standard Webhooks form: <c>whsec_</c> + the base64 of the HMAC key.</summary>
public static class WebhookSecret
{
    /// <summary>The prefix that marks a string as a webhook signing secret.</summary>
    public const string Prefix = "whsec_";

    // 32 bytes: the HMAC-SHA256 block-size guidance asks for at least the output size; the spec allows 24 to 64.
    private const int KeyBytes = 32;

    /// <summary>A new random secret (<c>whsec_</c> + base64 of 32 random bytes).</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The HMAC key of <paramref name="secret"/>; the <c>whsec_</c> prefix is optional, as in the specification's libraries.</summary>
    /// <exception cref="ArgumentException">The secret is empty or its key part is not base64.</exception>
    public static byte[] KeyOf(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var encoded = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(encoded);
            return key.Length > 0 ? key : throw new ArgumentException("The webhook secret has an empty key.", nameof(secret));
        }
        catch (FormatException exception)
        {
            throw new ArgumentException("A webhook secret is 'whsec_' followed by base64.", nameof(secret), exception);
        }
    }
}
