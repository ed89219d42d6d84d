namespace AsyncJobs.Client.Jobs;

/// <summary>How far a job has come, as its handler last reported.</summary>
/// <param name="Percent">0 to 100.</param>
/// <param name="Message">The handler's message for the current step, if any.</param>
/// <param name="Step">The handler's name for the current step, if any.</param>
public sealed record JobProgress(int Percent, string? Message, string? Step);
