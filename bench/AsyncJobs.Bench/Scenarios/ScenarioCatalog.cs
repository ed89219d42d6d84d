namespace AsyncJobs.Bench.Scenarios;

/// <summary>Every scenario, in the order a run takes them.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new AcceptScenario(),
        new RelayScenario(),
        new PickupScenario(),
        new DrainScenario(),
        new EventsScenario(),
        new ProgressScenario(),
        new CancelScenario(),
        new RecoveryScenario(),
        new WebhooksScenario(),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];
}
