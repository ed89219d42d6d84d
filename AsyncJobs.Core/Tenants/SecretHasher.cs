using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// API keys and job tokens are long random strings, so one SHA-256 is enough to store them safely
/// (a slow password hash buys nothing against 190 bits of entropy and would cost every request).
/// </summary>
public static class SecretHasher
{
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string NewSecret(string prefix) =>
        prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
