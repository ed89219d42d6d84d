using StackExchange.Redis;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// Stream tickets let a browser open the tenant's event stream without putting the API key in a URL
/// (<c>EventSource</c> cannot send headers). A ticket is random (<c>ast_…</c>), stored only as its SHA-256 hash
/// in Redis with a short time to live, and single-use: redeeming it deletes it in the same command, so a URL
/// that leaks into a log or a history after use opens nothing.
/// </summary>
public sealed class StreamTicketStore(IConnectionMultiplexer redis, TimeProvider clock)
{
    public const string Prefix = "ast_";

    private const string KeyPrefix = "asyncjobs:stream-ticket:";

    /// <summary>Creates a ticket for <paramref name="tenantId"/> that can be redeemed once before <paramref name="lifetime"/> passes.</summary>
    public async Task<IssuedStreamTicket> IssueAsync(Guid tenantId, TimeSpan lifetime)
    {
        var ticket = SecretHasher.NewSecret(Prefix);
        var expiresAt = clock.GetUtcNow() + lifetime;
        await redis.GetDatabase().StringSetAsync(KeyFor(ticket), tenantId.ToString(), lifetime);
        return new IssuedStreamTicket(ticket, expiresAt);
    }

    /// <summary>The ticket's tenant, and the ticket is spent; null for an unknown, expired or already used ticket.</summary>
    public async Task<Guid?> RedeemAsync(string ticket)
    {
        if (!ticket.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var tenant = await redis.GetDatabase().StringGetDeleteAsync(KeyFor(ticket));
        return Guid.TryParse(tenant.ToString(), out var tenantId) ? tenantId : null;
    }

    /// <summary>The Redis key that holds a ticket: its hash, never the ticket itself.</summary>
    public static RedisKey KeyFor(string ticket) => KeyPrefix + Convert.ToHexStringLower(SecretHasher.Hash(ticket));
}
