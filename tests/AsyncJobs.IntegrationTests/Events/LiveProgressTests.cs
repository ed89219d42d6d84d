using AsyncJobs.IntegrationTests.Scenarios;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Events;

/// <summary>
/// A handler reporting progress 100 times a second: few durable <c>job.progress</c> events in PostgreSQL, yet
/// subscribers see smooth progress through live frames (no <c>id:</c>), which never go back behind a durable event
/// already sent, never follow the terminal event, and never disturb <c>Last-Event-ID</c> resumption.
/// </summary>
[Collection(EventsCollectionDefinition.Name)]
public sealed class LiveProgressTests(EventsTopologyFixture fixture)
{
    // demo.simulate reports after every step: 10 ms steps are 100 reports a second.
    private static readonly object FastReporter = new { steps = 400, stepDurationMs = 10 };

    [Fact]
    public async Task A_job_reporting_100_times_a_second_is_seen_smoothly_while_few_progress_events_are_written()
    {
        using var deadline = StartDeadline();
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        var job = await fixture.SubmitAsync(FastReporter, deadline.Token);

        var frames = await StreamFrame.ReadUntilTerminalAsync(notifier, new Uri(job.Links.Events), "0", deadline.Token);

        var (durableProgressRows, ranSeconds) = await ProgressRowsAsync(Guid.Parse(job.Id), deadline.Token);
        var progressSeen = frames.Where(f => f.Type == "job.progress").Select(f => f.Step).Distinct().Count();
        var described = StreamFrame.Describe(frames);
        frames.ShouldContain(f => f.Live, $"no live frame; received: {described}");
        durableProgressRows.ShouldBeLessThanOrEqualTo((long)Math.Ceiling(5 * ranSeconds) + 1, $"durable progress events for {ranSeconds:0.00} s of job time");
        progressSeen.ShouldBeGreaterThanOrEqualTo((int)(10 * ranSeconds), $"distinct progress updates seen in {ranSeconds:0.00} s of job time; received: {described}");
        frames.Count(f => f.Type == "job.progress" && !f.Live).ShouldBe((int)durableProgressRows, "every durable progress event reaches the stream");
        ShouldBeOrderedAndEndWithTheTerminalEvent(frames);
    }

    [Fact]
    public async Task A_resumed_stream_repeats_no_durable_event_and_its_live_frames_carry_no_id()
    {
        using var deadline = StartDeadline();
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        var job = await fixture.SubmitAsync(FastReporter, deadline.Token);
        var events = new Uri(job.Links.Events);

        // First connection: until a live frame has followed at least two durable progress events, then drop it.
        var first = new List<StreamFrame>();
        await foreach (var frame in StreamFrame.ReadAsync(notifier, events, "0", deadline.Token))
        {
            first.Add(frame);
            if (frame.IsTerminal || (frame.Live && first.Count(f => f.Type == "job.progress" && !f.Live) >= 2))
            {
                break;
            }
        }

        first[^1].IsTerminal.ShouldBeFalse($"the job ended before the test could drop the connection mid-job: {StreamFrame.Describe(first)}");
        var lastDurableId = first.Last(f => f.Id is not null).Id!;
        var resumed = await StreamFrame.ReadUntilTerminalAsync(notifier, events, lastDurableId, deadline.Token);

        var durableIds = first.Concat(resumed).Where(f => f.Id is not null).Select(f => long.Parse(f.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        durableIds.ShouldBe(Enumerable.Range(1, durableIds.Count).Select(i => (long)i), $"received: {StreamFrame.Describe(first)} | resumed: {StreamFrame.Describe(resumed)}");
        resumed.Where(f => f.Id is null).ShouldAllBe(f => f.Live && f.Type == "job.progress");
        resumed.ShouldContain(f => f.Live, "the resumed stream gets live frames after the durable events it missed");
        ShouldBeOrderedAndEndWithTheTerminalEvent(resumed, afterSequence: long.Parse(lastDurableId, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_tenant_stream_gets_live_progress_and_none_after_a_jobs_terminal_event()
    {
        using var deadline = StartDeadline();
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);
        var frames = new List<StreamFrame>();
        string? fast = null;
        string? marker = null;
        await using (var stream = StreamFrame.ReadAsync(notifier, new Uri(fixture.Topology.NotifierUrl, "/events"), null, deadline.Token).GetAsyncEnumerator(deadline.Token))
        {
            // The stream is open (its first read has begun) before the job exists.
            var next = stream.MoveNextAsync().AsTask();
            fast = (await fixture.SubmitAsync(FastReporter, deadline.Token)).Id;
            while (await next)
            {
                var frame = stream.Current;
                if (frame.JobId == fast || frame.JobId == marker)
                {
                    frames.Add(frame);
                }

                if (frame.JobId == fast && frame.IsTerminal)
                {
                    // A job submitted after the fast one ended: its terminal event is the signal that anything the
                    // fast job still had in flight has been delivered.
                    marker = (await fixture.SubmitAsync(new { steps = 1, stepDurationMs = 10 }, deadline.Token)).Id;
                }

                if (frame.JobId == marker && frame.IsTerminal)
                {
                    break;
                }

                next = stream.MoveNextAsync().AsTask();
            }
        }

        var ofFast = frames.Where(f => f.JobId == fast).ToList();
        ofFast.ShouldContain(f => f.Live, $"no live frame on the tenant stream: {StreamFrame.Describe(ofFast)}");
        ShouldBeOrderedAndEndWithTheTerminalEvent(ofFast, afterSequence: ofFast[0].Sequence - 1);
    }

    /// <summary>
    /// Durable sequences rise one by one; a live frame never carries a sequence older than the durable event sent
    /// before it; the terminal event is the last frame of the job.
    /// </summary>
    private static void ShouldBeOrderedAndEndWithTheTerminalEvent(List<StreamFrame> frames, long afterSequence = 0)
    {
        var described = StreamFrame.Describe(frames);
        var lastDurable = afterSequence;
        foreach (var frame in frames)
        {
            if (frame.Live)
            {
                frame.Id.ShouldBeNull($"a live frame has an id: {described}");
                frame.Type.ShouldBe("job.progress");
                frame.Sequence.ShouldBeGreaterThanOrEqualTo(lastDurable, $"a live frame older than a durable event already sent: {described}");
            }
            else
            {
                frame.Sequence.ShouldBe(lastDurable + 1, $"durable events out of order: {described}");
                lastDurable = frame.Sequence;
            }
        }

        frames[^1].Type.ShouldBe("job.succeeded", $"the job's last frame: {described}");
    }

    private async Task<(long Rows, double RanSeconds)> ProgressRowsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(fixture.Topology.JobsDbConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM job_events WHERE job_id = j.id AND type = 'job.progress'),
                   extract(epoch FROM j.finished_at - j.started_at)::float8
            FROM jobs j WHERE j.id = @id
            """, connection);
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (await reader.ReadAsync(cancellationToken)).ShouldBeTrue();
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        return deadline;
    }
}
