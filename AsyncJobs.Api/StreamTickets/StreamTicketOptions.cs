using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Api.StreamTickets;

public sealed class StreamTicketOptions
{
    public const string SectionName = "StreamTickets";

    /// <summary>How long an unused ticket stays valid; a page asks for one right before it opens a stream.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);
}
