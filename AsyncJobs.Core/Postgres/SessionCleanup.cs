using System.Data;
using Npgsql;

namespace AsyncJobs.Core.Postgres;

/// <summary>
/// Undoes a session-level setting (an advisory lock, a LISTEN) before a connection goes back to the pool, which
/// does not reset connections (<c>No Reset On Close</c>). A broken connection took its session, and the setting,
/// with it and is not pooled: there is nothing to undo.
/// </summary>
public static class SessionCleanup
{
    public static async Task UndoAsync(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception exception) when (IsBroken(exception))
        {
        }
    }

    /// <summary>The same, for callers that are synchronous throughout (Hangfire's storage API).</summary>
    public static void Undo(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters);
            command.ExecuteNonQuery();
        }
        catch (Exception exception) when (IsBroken(exception))
        {
        }
    }

    // The connection broke meanwhile: the same as finding it closed.
    private static bool IsBroken(Exception exception) => exception is NpgsqlException or InvalidOperationException;
}
