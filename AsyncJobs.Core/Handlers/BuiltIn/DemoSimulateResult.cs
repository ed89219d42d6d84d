namespace AsyncJobs.Core.Handlers.BuiltIn;

public sealed record DemoSimulateResult(int StepsCompleted, int Attempt, long ElapsedMs);
