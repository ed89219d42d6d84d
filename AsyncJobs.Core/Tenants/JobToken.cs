using System.Buffers.Text;
using System.Security.Cryptography;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// A job token (<c>ajt_…</c>) grants read access to one job. It carries its job's id next to 24 random bytes, so
/// checking it is a primary-key read and a comparison with the stored SHA-256 hash: the <c>jobs</c> table needs no
/// index over token hashes, which every accepted job would otherwise pay for with one more random index entry.
/// The id is no secret (it is in every link); the random part is what the hash guards.
/// </summary>
public static class JobToken
{
    public const string Prefix = "ajt_";

    private const int IdBytes = 16;
    private const int SecretBytes = 24;

    /// <summary>A new token for <paramref name="jobId"/>.</summary>
    public static string Issue(Guid jobId)
    {
        Span<byte> token = stackalloc byte[IdBytes + SecretBytes];
        jobId.TryWriteBytes(token[..IdBytes], bigEndian: true, out _);
        RandomNumberGenerator.Fill(token[IdBytes..]);
        return Prefix + Base64Url.EncodeToString(token);
    }

    /// <summary>The job a well-formed token names; false for anything else (which then opens nothing).</summary>
    public static bool TryReadJobId(string token, out Guid jobId)
    {
        jobId = Guid.Empty;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Validated first: the decoder throws on a character outside base64url, where a bad token must only fail.
        var encoded = token.AsSpan(Prefix.Length);
        if (!Base64Url.IsValid(encoded, out var length) || length != IdBytes + SecretBytes)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[IdBytes + SecretBytes];
        Base64Url.DecodeFromChars(encoded, decoded);
        jobId = new Guid(decoded[..IdBytes], bigEndian: true);
        return true;
    }
}
