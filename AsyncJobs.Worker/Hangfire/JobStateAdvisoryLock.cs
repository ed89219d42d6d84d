using AsyncJobs.Core.Postgres;
using Hangfire.Storage;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Hangfire's lock on one job's state, held as a PostgreSQL session advisory lock on a connection of its own.
/// Hangfire.PostgreSql's lock is a row in its <c>lock</c> table: taking it costs three transactions (clear an expired
/// row, insert, commit) and releasing it a fourth, two of them flushing WAL, on every state change: four commits
/// per job between Processing and Succeeded. This takes one statement each way and writes nothing, and a worker
/// killed while holding it frees it with its connection instead of leaving a row until the lock timeout.
/// </summary>
public sealed class JobStateAdvisoryLock : IDisposable
{
    // Hashed in PostgreSQL: equal resources get equal keys in every process; a collision only serializes two jobs.
    private const string Lock = "SELECT pg_advisory_lock(hashtextextended(@resource, 0))";
    private const string Unlock = "SELECT pg_advisory_unlock(hashtextextended(@resource, 0))";

    private readonly NpgsqlConnection connection;
    private readonly string resource;
    private int released;

    private JobStateAdvisoryLock(NpgsqlConnection connection, string resource)
    {
        this.connection = connection;
        this.resource = resource;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the lock, as Hangfire's own locks do.</summary>
    /// <exception cref="DistributedLockTimeoutException">Another holder kept it that long.</exception>
    public static JobStateAdvisoryLock Acquire(NpgsqlDataSource dataSource, string resource, TimeSpan timeout)
    {
        var connection = dataSource.OpenConnection();
        try
        {
            using var command = new NpgsqlCommand(Lock, connection);
            command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
            command.Parameters.AddWithValue("resource", resource);
            command.ExecuteNonQuery();
            return new JobStateAdvisoryLock(connection, resource);
        }
        catch (Exception exception)
        {
            // A timeout cancels the wait, but the lock may have been granted just before: never pool a connection holding it.
            Release(connection, resource);
            if (exception is NpgsqlException { InnerException: TimeoutException } or PostgresException { SqlState: PostgresErrorCodes.QueryCanceled })
            {
                throw new DistributedLockTimeoutException(resource);
            }

            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            Release(connection, resource);
        }
    }

    private static void Release(NpgsqlConnection connection, string resource)
    {
        SessionCleanup.Undo(connection, Unlock, new NpgsqlParameter("resource", resource));
        connection.Dispose();
    }
}
