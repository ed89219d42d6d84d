using Microsoft.Extensions.Caching.Memory;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// What an API key resolved to, remembered for <see cref="Lifetime"/> so a busy client costs no database lookup per
/// request. The price is bounded staleness: a revoked key, or a tenant's changed limits, take effect within that time.
/// Only keys that resolved are remembered; an unknown key is looked up every time.
/// </summary>
public sealed class ApiKeyCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    public sealed record Entry(Guid TenantId, int? SubmissionsPerMinute, int? MaxInFlight);

    public bool TryGet(byte[] keyHash, out Entry? entry) => cache.TryGetValue(CacheKey(keyHash), out entry);

    public void Set(byte[] keyHash, Entry entry) => cache.Set(CacheKey(keyHash), entry, Lifetime);

    private static string CacheKey(byte[] keyHash) => "api-key:" + Convert.ToBase64String(keyHash);
}
