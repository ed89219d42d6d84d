using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// What an API key resolved to, remembered for <see cref="Lifetime"/> so a busy client costs no database lookup per
/// request. The price is bounded staleness: a revoked key, or a tenant's changed limits, take effect within that time.
/// Only keys that resolved are remembered; an unknown key is looked up every time. The ticket is shared by the key's
/// requests while it is remembered (nothing in the pipeline changes it: there is no claims transformation), so a
/// long-lived event stream holds no identity of its own.
/// </summary>
public sealed class ApiKeyCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    public bool TryGet(byte[] keyHash, out AuthenticationTicket? ticket) => cache.TryGetValue(CacheKey(keyHash), out ticket);

    public void Set(byte[] keyHash, AuthenticationTicket ticket) => cache.Set(CacheKey(keyHash), ticket, Lifetime);

    private static string CacheKey(byte[] keyHash) => "api-key:" + Convert.ToBase64String(keyHash);
}
