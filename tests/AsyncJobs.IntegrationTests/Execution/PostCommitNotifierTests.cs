using System.Collections.Concurrent;
using AsyncJobs.Core.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>
/// The relays' wake-ups, sent after the commits they announce (no trigger sends them any more): a listener that
/// reads on each notification finds what was announced.
/// </summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class PostCommitNotifierTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    [Fact]
    public async Task A_submission_wakes_the_outbox_and_event_relays_once_its_job_and_event_are_committed()
    {
        using var deadline = StartDeadline();
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Topology.JobsDbConnectionString);
        await using var listener = await ListenAsync(dataSource, [NotifyChannels.JobsOutbox, NotifyChannels.JobEvents], deadline.Token);
        var received = new ConcurrentQueue<string>();
        listener.Notification += (_, e) => received.Enqueue(e.Channel);
        // Earlier scenarios' jobs may still be finishing: start once neither channel has spoken for a second, so the
        // notifications counted below are this submission's.
        await QuietAsync(listener, received, TimeSpan.FromSeconds(1), deadline.Token);

        using var api = Fixture.ApiClient();
        var jobId = Guid.Parse((await SubmitAsync(api, new { steps = 1, stepDurationMs = 10 }, deadline.Token)).Id);

        var committedWhenWoken = new Dictionary<string, bool>();
        while (committedWhenWoken.Count < 2)
        {
            await listener.WaitAsync(deadline.Token);
            while (received.TryDequeue(out var channel))
            {
                // What a relay woken now can read (the 202 may come before or after the notification).
                committedWhenWoken.TryAdd(channel, channel == NotifyChannels.JobsOutbox
                    ? await ExistsAsync(dataSource, "SELECT 1 FROM jobs WHERE id = @id", jobId, deadline.Token)
                    : await ExistsAsync(dataSource, "SELECT 1 FROM job_events WHERE job_id = @id AND type = 'job.queued'", jobId, deadline.Token));
            }
        }

        committedWhenWoken.ShouldBe(new Dictionary<string, bool> { [NotifyChannels.JobsOutbox] = true, [NotifyChannels.JobEvents] = true }, ignoreOrder: true);
    }

    [Fact]
    public async Task Concurrent_writers_each_announcing_their_commit_leave_nothing_unseen_by_a_listener_that_reads_on_each_notification()
    {
        const int Writers = 8;
        const int CommitsEach = 50;
        using var deadline = StartDeadline();
        var channel = $"post_commit_test_{Guid.NewGuid():N}";
        var table = $"post_commit_test_{Guid.NewGuid():N}";
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Topology.JobsDbConnectionString);
        await ExecuteAsync(dataSource, $"CREATE TABLE {table} (id integer PRIMARY KEY)", deadline.Token);
        try
        {
            await using var listener = await ListenAsync(dataSource, [channel], deadline.Token);
            var readAfterLastNotification = 0L;
            var notifications = 0;
            var all = WhileListeningAsync(listener, async _ =>
            {
                notifications++;
                readAfterLastNotification = await CountAsync(dataSource, table, deadline.Token);
                return readAfterLastNotification == Writers * CommitsEach;
            }, deadline.Token);

            await using (var notifier = new PostCommitNotifier(dataSource, NullLogger<PostCommitNotifier>.Instance))
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, Writers),
                    new ParallelOptions { MaxDegreeOfParallelism = Writers, CancellationToken = deadline.Token },
                    async (writer, token) =>
                    {
                        for (var i = 0; i < CommitsEach; i++)
                        {
                            await ExecuteAsync(dataSource, $"INSERT INTO {table} VALUES ({(writer * CommitsEach) + i})", token);
                            notifier.Notify(channel);
                        }
                    });

                await all;
            }

            readAfterLastNotification.ShouldBe(Writers * CommitsEach);
            Report($"{Writers * CommitsEach} commits announced by {notifications} notifications");
        }
        finally
        {
            await ExecuteAsync(dataSource, $"DROP TABLE IF EXISTS {table}", CancellationToken.None);
        }
    }

    [Fact]
    public async Task What_is_announced_just_before_the_notifier_stops_is_still_sent()
    {
        using var deadline = StartDeadline();
        var channel = $"post_commit_test_{Guid.NewGuid():N}";
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Topology.JobsDbConnectionString);
        await using var listener = await ListenAsync(dataSource, [channel], deadline.Token);
        var heard = WhileListeningAsync(listener, _ => Task.FromResult(true), deadline.Token);

        var notifier = new PostCommitNotifier(dataSource, NullLogger<PostCommitNotifier>.Instance);
        notifier.Notify(channel);
        await notifier.DisposeAsync();

        await heard;
    }

    private static async Task<NpgsqlConnection> ListenAsync(NpgsqlDataSource dataSource, string[] channels, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var channel in channels)
        {
            await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }

    private static async Task QuietAsync(NpgsqlConnection listener, ConcurrentQueue<string> received, TimeSpan quiet, CancellationToken cancellationToken)
    {
        // WaitAsync with a timeout answers false when none came, and leaves the connection usable.
        while (await listener.WaitAsync((int)quiet.TotalMilliseconds, cancellationToken))
        {
            received.Clear();
        }

        received.Clear();
    }

    /// <summary>Calls <paramref name="onNotification"/> with each notification's channel until it answers true.</summary>
    private static async Task WhileListeningAsync(NpgsqlConnection connection, Func<string, Task<bool>> onNotification, CancellationToken cancellationToken)
    {
        var received = new ConcurrentQueue<string>();
        connection.Notification += (_, e) => received.Enqueue(e.Channel);
        while (true)
        {
            await connection.WaitAsync(cancellationToken);
            while (received.TryDequeue(out var channel))
            {
                if (await onNotification(channel))
                {
                    return;
                }
            }
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, string sql, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
