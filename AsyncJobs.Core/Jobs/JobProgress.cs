namespace AsyncJobs.Core.Jobs;

/// <summary>How far a running job has come: a percentage, a human message, and the current step's name.</summary>
public sealed record JobProgress(int Percent, string? Message = null, string? Step = null);
