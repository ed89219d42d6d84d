namespace AsyncJobs.Api.Jobs;

/// <summary>Where to follow a job: its status, its event stream (on the notifier), and its cancel action.</summary>
public sealed record JobLinks(string Self, string Events, string Cancel, string Result);
