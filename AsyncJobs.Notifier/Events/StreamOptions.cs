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

    /// <summary>Live events buffered per stream; beyond it the oldest are dropped and re-read from PostgreSQL.</summary>
    [Range(1, 100_000)]
    public int BufferPerStream { get; set; } = 256;
}
