using System.Diagnostics;
using AsyncJobs.Bench.Events;
using AsyncJobs.Bench.Load;
using Npgsql;

namespace AsyncJobs.Bench.Topology;

/// <summary>
/// The harness's read-only view of jobsdb: PostgreSQL is the source of truth, so timings come from the job rows
/// (created_at set by the API, handed_over_at by the relay, started_at and finished_at by the worker; one clock).
/// </summary>
public sealed class JobsDatabase(string connectionString) : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public NpgsqlDataSource DataSource { get; } = new NpgsqlDataSourceBuilder(connectionString) { Name = "bench" }.Build();

    /// <summary>PostgreSQL's postmaster: the parent of every backend, so its process tree is all of PostgreSQL's work.</summary>
    public async Task<int> PostmasterProcessIdAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT pg_backend_pid()");
        var backend = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        return ProcessCpu.ParentOf(backend);
    }

    /// <summary>Waits for a job to start and answers accepted → running (started_at − created_at) in ms.</summary>
    public async Task<double> WaitForPickupAsync(Guid jobId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var command = DataSource.CreateCommand(
                "SELECT extract(epoch FROM started_at - created_at) * 1000 FROM jobs WHERE id = @id AND started_at IS NOT NULL");
            command.Parameters.AddWithValue("id", jobId);
            if (await command.ExecuteScalarAsync(cancellationToken) is decimal milliseconds)
            {
                return (double)milliseconds;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Job {jobId} did not start within {deadline.TotalSeconds:0} s.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>accepted → running of every started job of the tenant, in ms.</summary>
    public Task<List<double>> PickupLatenciesAsync(Guid tenantId, CancellationToken cancellationToken) =>
        MillisecondsAsync("SELECT extract(epoch FROM started_at - created_at) * 1000 FROM jobs WHERE tenant_id = @tenant AND started_at IS NOT NULL", tenantId, cancellationToken);

    /// <summary>accepted → handed to Hangfire of every handed-over job of the tenant, in ms.</summary>
    public Task<List<double>> HandOverLagsAsync(Guid tenantId, CancellationToken cancellationToken) =>
        MillisecondsAsync("SELECT extract(epoch FROM handed_over_at - created_at) * 1000 FROM jobs WHERE tenant_id = @tenant AND handed_over_at IS NOT NULL", tenantId, cancellationToken);

    /// <summary>handed to Hangfire → running of every started job of the tenant, in ms.</summary>
    public Task<List<double>> HandedOverToStartedAsync(Guid tenantId, CancellationToken cancellationToken) =>
        MillisecondsAsync("SELECT extract(epoch FROM started_at - handed_over_at) * 1000 FROM jobs WHERE tenant_id = @tenant AND started_at IS NOT NULL", tenantId, cancellationToken);

    /// <summary>Time from the tenant's first hand-over until now, on the database's clock.</summary>
    public async Task<TimeSpan> SinceFirstHandOverAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT extract(epoch FROM clock_timestamp() - min(handed_over_at)) FROM jobs WHERE tenant_id = @tenant");
        command.Parameters.AddWithValue("tenant", tenantId);
        return TimeSpan.FromSeconds((double)(decimal)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<JobWindow> WindowAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT count(*),
                   count(*) FILTER (WHERE handed_over_at IS NOT NULL),
                   count(*) FILTER (WHERE started_at IS NOT NULL),
                   count(*) FILTER (WHERE state = 'succeeded'),
                   count(*) FILTER (WHERE state IN ('succeeded', 'failed', 'cancelled')),
                   extract(epoch FROM max(handed_over_at) - min(created_at)),
                   extract(epoch FROM max(handed_over_at) - min(handed_over_at)),
                   extract(epoch FROM max(finished_at) - min(started_at)),
                   extract(epoch FROM max(finished_at) - min(created_at))
            FROM jobs WHERE tenant_id = @tenant
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new JobWindow(
            Total: (int)reader.GetInt64(0),
            HandedOver: (int)reader.GetInt64(1),
            Started: (int)reader.GetInt64(2),
            Succeeded: (int)reader.GetInt64(3),
            Finished: (int)reader.GetInt64(4),
            CreatedToLastHandOver: Seconds(reader, 5),
            FirstToLastHandOver: Seconds(reader, 6),
            FirstStartToLastFinish: Seconds(reader, 7),
            FirstCreatedToLastFinish: Seconds(reader, 8));

        static TimeSpan? Seconds(NpgsqlDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal) ? null : TimeSpan.FromSeconds((double)reader.GetDecimal(ordinal));
    }

    /// <summary>Polls until <paramref name="done"/> holds for the tenant's jobs, or throws after the deadline.</summary>
    public async Task<JobWindow> WaitForAsync(Guid tenantId, Func<JobWindow, bool> done, string what, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var window = await WindowAsync(tenantId, cancellationToken);
            if (done(window))
            {
                return window;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Not {what} within {deadline.TotalSeconds:0} s: {window}.");
            }

            // The figures come from the rows' own timestamps, not from when this poll noticed; each poll reads every
            // row of the tenant (about 25 ms of PostgreSQL at 5,000 jobs), so polling often would load what it measures.
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    public async Task<JobRow> JobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT state, attempt, started_at, finished_at FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new JobRow(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3))
            : throw new InvalidOperationException($"No job {jobId}.");
    }

    public async Task<JobRow> WaitForJobAsync(Guid jobId, Func<JobRow, bool> done, string what, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await JobAsync(jobId, cancellationToken);
            if (done(job))
            {
                return job;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Job {jobId} not {what} within {deadline.TotalSeconds:0} s: {job}.");
            }

            await Task.Delay(PollInterval * 4, cancellationToken);
        }
    }

    /// <summary>job.progress events the job wrote (each one a database write) and how long it ran.</summary>
    public async Task<(int ProgressEvents, TimeSpan Ran)> ProgressWritesAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM job_events WHERE job_id = j.id AND type = 'job.progress'),
                   extract(epoch FROM j.finished_at - j.started_at)
            FROM jobs j WHERE j.id = @id AND j.finished_at IS NOT NULL
            """);
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? ((int)reader.GetInt64(0), TimeSpan.FromSeconds((double)reader.GetDecimal(1)))
            : throw new InvalidOperationException($"Job {jobId} has not finished.");
    }

    /// <summary>
    /// Takes the tenant's still-queued jobs out of play without running them. Only for the accept scenario's
    /// backlog, on the benchmark's throwaway database: running tens of thousands of trivial jobs afterwards would
    /// load the machine for minutes and distort every later figure. No event is written; nobody watches them.
    /// </summary>
    public async Task<int> RetireQueuedAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            UPDATE jobs SET state = 'cancelled', cancel_requested_at = now(), finished_at = now(), updated_at = now()
            WHERE tenant_id = @tenant AND state = 'queued'
            """);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.CommandTimeout = 300;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Vacuums the whole database, then checkpoints, so a measurement that follows starts from the same state
    /// whatever ran before it: the dead rows of earlier work are not cleaned by autovacuum inside the measured
    /// window (its WAL would land in that window's idle rate or in the figure), and the first change to each page
    /// after the checkpoint writes a full page image into the WAL for every measured side alike. The benchmark
    /// connects as PostgreSQL's superuser, which both statements need.
    /// </summary>
    public async Task VacuumAndCheckpointAsync(CancellationToken cancellationToken)
    {
        foreach (var statement in new[] { "VACUUM", "CHECKPOINT" })
        {
            await using var command = DataSource.CreateCommand(statement);
            command.CommandTimeout = 300;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();

    private async Task<List<double>> MillisecondsAsync(string sql, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenantId);
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add((double)reader.GetDecimal(0));
        }

        return values;
    }
}

public sealed record JobRow(string State, int Attempt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public bool IsFinished => State is "succeeded" or "failed" or "cancelled";
}

public sealed record JobWindow(
    int Total, int HandedOver, int Started, int Succeeded, int Finished,
    TimeSpan? CreatedToLastHandOver, TimeSpan? FirstToLastHandOver, TimeSpan? FirstStartToLastFinish, TimeSpan? FirstCreatedToLastFinish);
