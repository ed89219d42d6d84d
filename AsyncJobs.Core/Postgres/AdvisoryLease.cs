using System.Globalization;
using Npgsql;

namespace AsyncJobs.Core.Postgres;

/// <summary>
/// Leadership among replicas through a session-level advisory lock held on a dedicated connection: the lock
/// lasts while the connection does, so a crashed leader's lease ends with its connection.
/// </summary>
public sealed class AdvisoryLease : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly long key;

    private AdvisoryLease(NpgsqlConnection connection, long key)
    {
        this.connection = connection;
        this.key = key;
    }

    /// <summary>The lease, or null when another process holds it.</summary>
    public static async Task<AdvisoryLease?> TryAcquireAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return new AdvisoryLease(connection, key);
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>False once the connection holding the lock has broken.</summary>
    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>
    /// Releases the lock before the connection goes back to the pool, which does not reset connections: a lock left
    /// on a pooled connection would keep every other replica from leading.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await SessionCleanup.UndoAsync(connection, $"SELECT pg_advisory_unlock({key.ToString(CultureInfo.InvariantCulture)})");
        await connection.DisposeAsync();
    }
}
