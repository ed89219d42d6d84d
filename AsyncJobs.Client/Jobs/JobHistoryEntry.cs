namespace AsyncJobs.Client.Jobs;

/// <summary>One state change: the state entered, on which attempt, when, and the attempt's error when it failed.</summary>
/// <param name="Status">The state entered.</param>
/// <param name="Attempt">The attempt number at the change.</param>
/// <param name="Error">The failed attempt's error, if the change was a failure.</param>
/// <param name="At">When the change happened.</param>
public sealed record JobHistoryEntry(JobStatus Status, int Attempt, JobError? Error, DateTimeOffset At);
