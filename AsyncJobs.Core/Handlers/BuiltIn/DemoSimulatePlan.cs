namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>What a <c>demo.simulate</c> job would do: its steps, how long they take, and how it misbehaves on purpose.</summary>
public sealed record DemoSimulatePlan(int Steps, long EstimatedDurationMs, int FailingAttempts, bool AlwaysFails, bool Hangs);
