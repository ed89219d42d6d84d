namespace AsyncJobs.Bench.Results;

public enum ScenarioStatus
{
    Succeeded,
    Skipped,
    Failed,
}
