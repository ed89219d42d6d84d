namespace AsyncJobs.Client.Jobs;

/// <summary>Where to follow a job.</summary>
/// <param name="Self">The job's status (<c>/jobs/{id}</c>, relative to the API).</param>
/// <param name="Events">The job's Server-Sent Events stream: absolute, on the notifier.</param>
/// <param name="Cancel">The cancel action (relative to the API).</param>
/// <param name="Result">The result document (relative to the API).</param>
public sealed record JobLinks(string Self, string Events, string Cancel, string Result);
