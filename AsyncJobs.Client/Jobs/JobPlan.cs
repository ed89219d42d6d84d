using System.Text.Json;

namespace AsyncJobs.Client.Jobs;

/// <summary>What a submission would do, answered by a dry run: nothing was persisted.</summary>
/// <param name="DryRun">Always true.</param>
/// <param name="Type">The job type.</param>
/// <param name="Priority">The priority the job would get.</param>
/// <param name="TimeoutSeconds">The timeout the job would get.</param>
/// <param name="MaxAttempts">The attempts the job would get.</param>
/// <param name="Plan">The handler's own plan, if it answers dry runs.</param>
public sealed record JobPlan(bool DryRun, string Type, JobPriority Priority, int TimeoutSeconds, int MaxAttempts, JsonElement? Plan);
