namespace AsyncJobs.Bench.Scenarios;

/// <summary>The scenario cannot run here yet (e.g. an API it needs does not exist): reported, not a failure.</summary>
public sealed class ScenarioSkippedException(string reason) : Exception(reason);
