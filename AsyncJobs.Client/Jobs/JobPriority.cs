namespace AsyncJobs.Client.Jobs;

/// <summary>The queue a job waits in.</summary>
public enum JobPriority
{
    /// <summary>Taken before normal and low jobs.</summary>
    High,

    /// <summary>The default.</summary>
    Normal,

    /// <summary>Taken when no high or normal job waits.</summary>
    Low,
}
