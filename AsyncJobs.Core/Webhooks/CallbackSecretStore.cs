using Npgsql;

namespace AsyncJobs.Core.Webhooks;

/// <summary>
/// The tenant's secret for signing deliveries to jobs' own <c>callbackUrl</c>s (<c>tenants.callback_secret</c>). It is
/// created on first use, by whichever comes first: the tenant asking for it, or the first callback delivery.
/// </summary>
public sealed class CallbackSecretStore(NpgsqlDataSource dataSource)
{
    // The UPDATE writes only when there is no secret yet, so reading an existing one costs no row version.
    // Both branches read the statement's snapshot: when a concurrent caller created the secret in between,
    // neither returns a row, and the caller looks again.
    private const string GetOrCreate = """
        WITH created AS (
            UPDATE tenants SET callback_secret = @candidate WHERE id = @tenant AND callback_secret IS NULL
            RETURNING callback_secret
        )
        SELECT callback_secret FROM created
        UNION ALL
        SELECT callback_secret FROM tenants WHERE id = @tenant AND callback_secret IS NOT NULL
        LIMIT 1
        """;

    /// <summary>The tenant's callback secret, set to <paramref name="candidate"/> if it has none; null for an unknown tenant.</summary>
    public async Task<string?> GetOrCreateAsync(Guid tenantId, string candidate, CancellationToken cancellationToken)
    {
        for (var look = 0; look < 3; look++)
        {
            await using var command = dataSource.CreateCommand(GetOrCreate);
            command.Parameters.AddWithValue("tenant", tenantId);
            command.Parameters.AddWithValue("candidate", candidate);
            if (await command.ExecuteScalarAsync(cancellationToken) is string secret)
            {
                return secret;
            }

            if (!await TenantExistsAsync(tenantId, cancellationToken))
            {
                return null;
            }
        }

        throw new InvalidOperationException($"The callback secret of tenant {tenantId} kept changing while being read.");
    }

    /// <summary>Replaces the tenant's callback secret; false for an unknown tenant.</summary>
    public async Task<bool> ReplaceAsync(Guid tenantId, string secret, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE tenants SET callback_secret = @secret WHERE id = @tenant");
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("secret", secret);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<bool> TenantExistsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = @tenant)");
        command.Parameters.AddWithValue("tenant", tenantId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
