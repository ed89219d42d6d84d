using Npgsql;

namespace AsyncJobs.Bench.Baselines;

/// <summary>The jobs plain Hangfire runs in the baselines; the child server process loads them from this assembly.</summary>
public static class BaselineJobs
{
    /// <summary>Set in the child server process only: where <see cref="RecordPickup"/> writes.</summary>
    internal static NpgsqlDataSource? PickupLog { get; set; }

    /// <summary>The trivial job: Hangfire's own cost per job is all there is to measure.</summary>
    public static void Nothing()
    {
    }

    /// <summary>Notes when the job started, on the database's clock, for enqueue → execution latency.</summary>
    public static void RecordPickup(Guid probeId)
    {
        var log = PickupLog ?? throw new InvalidOperationException("RecordPickup runs only in the baseline server process.");
        using var command = log.CreateCommand($"INSERT INTO {BaselineDatabase.Schema}.hangfire_pickups (probe_id, started_at) VALUES (@id, clock_timestamp())");
        command.Parameters.AddWithValue("id", probeId);
        command.ExecuteNonQuery();
    }
}
