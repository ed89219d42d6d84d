namespace AsyncJobs.Core.Postgres;

/// <summary>The NOTIFY channels on which the job store announces its commits (through <see cref="PostCommitNotifier"/>).</summary>
public static class NotifyChannels
{
    /// <summary>A job waits to be handed to Hangfire: accepted, queued again by hand, handed back, rescued or released.</summary>
    public const string JobsOutbox = "jobs_outbox";

    /// <summary>Job events were appended.</summary>
    public const string JobEvents = "job_events";
}
