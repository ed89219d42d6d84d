using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Notifier.Events;

public sealed class StreamOptions
{
    public const string SectionName = "Streams";

    /// <summary>
    /// How long a stream waits for a live event before it checks PostgreSQL itself: the bound on how
    /// late an event whose Redis message was lost still arrives.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The reconnection delay suggested to clients (SSE <c>retry:</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ClientRetry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A comment line sent on idle streams so proxies do not close them (one timer for all streams: an idle stream gets one every one to two intervals).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a stream that ended with its job's terminal event keeps its request before ASP.NET Core tears it down,
    /// when at least <see cref="EndedStreamHoldFromWatchers"/> other streams still wait for that event. The client has the
    /// whole response by then, but a request it sends on the same keep-alive connection waits this long. Long enough for
    /// the event to reach every other stream watching the job first (about 200 ms for 10,000 streams on 2 cores); zero
    /// tears each down at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan EndedStreamHold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The hold applies only while at least this many other streams still watch the ended job: a job followed by a few
    /// clients never holds theirs, whose next request may well come on the same connection.
    /// </summary>
    [Range(1, 1_000_000)]
    public int EndedStreamHoldFromWatchers { get; set; } = 100;

    /// <summary>
    /// Live items queued per stream. A stream too slow to keep up loses live progress frames first; when a durable event
    /// does not fit, the stream ends and its client resumes with Last-Event-ID (nothing durable is skipped).
    /// </summary>
    [Range(1, 100_000)]
    public int BufferPerStream { get; set; } = 256;

    /// <summary>How long the relay waits for a missing event id (an insert still committing) before skipping it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The relay's sweep when no NOTIFY arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RelaySweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time between two reads of the relay: a busy system then relays many commits' events per read and
    /// position commit (at 2,000 accepts/s there were about 150 commits a second, each waking the relay). An idle relay
    /// still reads at once; a busy one adds at most this much to an event's latency.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan RelayMinimumReadInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a standby notifier tries to take over the relay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RelayStandbyInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the stream reader polls Redis when no wake-up arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
