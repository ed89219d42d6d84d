using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// What an API key resolved to, remembered for <see cref="Lifetime"/> so a busy client costs no database lookup per
/// request. The price is bounded staleness: a revoked key, or a tenant's changed limits, take effect within that time.
/// Only keys that resolved are remembered; an unknown key is looked up every time. The ticket is shared by the key's
/// requests while it is remembered (nothing in the pipeline changes it: there is no claims transformation), so a
/// long-lived event stream holds no identity of its own.
/// <para>
/// A key is looked up once however many of its requests arrive while the lookup runs: they all wait for that one.
/// Without this, every expiry of a busy key sent each request that arrived during the lookup to the database too,
/// each on a pooled connection of its own.
/// </para>
/// </summary>
public sealed class ApiKeyCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<AuthenticationTicket?>>> lookups = new(StringComparer.Ordinal);

    public bool TryGet(byte[] keyHash, out AuthenticationTicket? ticket) => cache.TryGetValue(CacheKey(keyHash), out ticket);

    /// <summary>
    /// For a key <see cref="TryGet"/> did not know: the result of <paramref name="lookUp"/>, run once for every caller
    /// that asks while it runs, and remembered when the key resolved; null when it is unknown. The lookup is shared,
    /// so it must not watch any one request's cancellation. A failed or empty lookup is not remembered.
    /// </summary>
    public async Task<AuthenticationTicket?> LookUpOnceAsync(byte[] keyHash, Func<Task<AuthenticationTicket?>> lookUp)
    {
        var key = CacheKey(keyHash);
        if (cache.TryGetValue(key, out AuthenticationTicket? remembered))
        {
            return remembered;
        }

        var lookup = lookups.GetOrAdd(key, static (_, lookUp) => new Lazy<Task<AuthenticationTicket?>>(lookUp), lookUp);
        try
        {
            var ticket = await lookup.Value;
            if (ticket is not null)
            {
                cache.Set(key, ticket, Lifetime);
            }

            return ticket;
        }
        finally
        {
            // Only this lookup, once it is remembered: a later one for the same key may already have taken its place.
            lookups.TryRemove(KeyValuePair.Create(key, lookup));
        }
    }

    private static string CacheKey(byte[] keyHash) => "api-key:" + Convert.ToBase64String(keyHash);
}
