using System.Data;
using Npgsql;

namespace AsyncJobs.Core.Postgres;

/// <summary>
/// Undoes a session-level setting (an advisory lock, a LISTEN) before a connection goes back to the pool, which
/// does not reset connections (<c>No Reset On Close</c>). A broken connection took its session, and the setting,
/// with it and is not pooled: there is nothing to undo.
/// </summary>
internal static class SessionCleanup
{
    public static async Task UndoAsync(NpgsqlConnection connection, string sql)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // It broke meanwhile: the same as above.
        }
    }
}
