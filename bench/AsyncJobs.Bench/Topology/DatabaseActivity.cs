using Npgsql;

namespace AsyncJobs.Bench.Topology;

/// <summary>
/// PostgreSQL's own counters, to show what a job costs the database. Exact and immediate: write transactions
/// (transaction ids assigned: the commits that flush WAL) and WAL bytes. Reported by each backend up to 10 s late
/// (PGSTAT_IDLE_INTERVAL): all transactions (<c>pg_stat_database.xact_commit</c>, read-only ones included) and row
/// writes (<c>pg_stat_user_tables</c>). Only where the extension is loaded: statements (<c>pg_stat_statements</c>).
/// </summary>
public sealed record DatabaseActivity(long NextTransactionId, long WalBytes, long Commits, long RowWrites, long? Statements)
{
    // pg_snapshot_xmax is the next transaction id to be assigned; reading it assigns none.
    private const string Sql = """
        SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
               pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
               (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
               (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables WHERE schemaname = ANY(@schemas))
        """;

    public static async Task<DatabaseActivity> ReadAsync(NpgsqlDataSource dataSource, string[] schemas, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long transactionId, walBytes, commits, rowWrites;
        await using (var command = new NpgsqlCommand(Sql, connection))
        {
            command.Parameters.AddWithValue("schemas", schemas);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (transactionId, walBytes, commits, rowWrites) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }

        return new DatabaseActivity(transactionId, walBytes, commits, rowWrites, await StatementsAsync(connection, cancellationToken));
    }

    public DatabaseActivity Since(DatabaseActivity earlier) => new(
        NextTransactionId - earlier.NextTransactionId,
        WalBytes - earlier.WalBytes,
        Commits - earlier.Commits,
        RowWrites - earlier.RowWrites,
        Statements is { } now && earlier.Statements is { } then ? now - then : null);

    private static async Task<long?> StatementsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var probe = new NpgsqlCommand("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'", connection);
        if (await probe.ExecuteScalarAsync(cancellationToken) is null)
        {
            return null;
        }

        await using var command = new NpgsqlCommand("SELECT sum(calls)::bigint FROM pg_stat_statements", connection);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) as long?;
        }
        catch (PostgresException)
        {
            // Created but not in shared_preload_libraries: the view exists and refuses to answer.
            return null;
        }
    }
}
