namespace AsyncJobs.Core.Handlers;

/// <summary>The job types this deployment knows, by name.</summary>
public sealed class JobHandlerRegistry(IEnumerable<IJobHandler> handlers)
{
    private readonly Dictionary<string, IJobHandler> byType = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => byType.Keys;

    public bool TryGet(string type, out IJobHandler handler) => byType.TryGetValue(type, out handler!);
}
