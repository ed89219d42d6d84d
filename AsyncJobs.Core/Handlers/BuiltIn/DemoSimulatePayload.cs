using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>Drives <see cref="DemoSimulateHandler"/>: how long it works, and how it misbehaves.</summary>
public sealed record DemoSimulatePayload
{
    [Range(1, 1000)]
    public int Steps { get; init; } = 5;

    [Range(0, 600_000)]
    public int StepDurationMs { get; init; } = 500;

    /// <summary>Fail (retryably) on the first N attempts, then succeed.</summary>
    [Range(0, 100)]
    public int FailTimes { get; init; }

    /// <summary>Fail permanently on every attempt.</summary>
    public bool AlwaysFail { get; init; }

    /// <summary>Never finish: wait until cancelled or timed out.</summary>
    public bool Hang { get; init; }

    /// <summary>
    /// For tests: a Redis key prefix under which each execution is counted (<c>:started</c>), with the
    /// executions running at once (<c>:active</c>) and the most ever seen at once (<c>:maxActive</c>).
    /// </summary>
    [StringLength(200, MinimumLength = 1)]
    public string? ExecutionCounterKey { get; init; }
}
