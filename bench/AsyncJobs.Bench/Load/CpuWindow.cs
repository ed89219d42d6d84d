namespace AsyncJobs.Bench.Load;

/// <summary>
/// The CPU time each named process used over a load run's recorded window (see <see cref="ClosedLoop.RunForAsync"/> and
/// <see cref="WrkLoad.RunForAsync"/>): divided by the operations of that window, what one operation costs each process:
/// where the work goes, so a change shows in the process it touches.
/// </summary>
public sealed class CpuWindow(IReadOnlyDictionary<string, Func<TimeSpan>> processes)
{
    private Dictionary<string, TimeSpan> atOpen = [];

    /// <summary>CPU time per process from <see cref="Open"/> to <see cref="Close"/>; empty until closed.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Used { get; private set; } = new Dictionary<string, TimeSpan>();

    public void Open() => atOpen = processes.ToDictionary(p => p.Key, p => p.Value());

    public void Close() => Used = processes.ToDictionary(p => p.Key, p => p.Value() - atOpen[p.Key]);

    /// <summary>Microseconds of CPU per operation for one process, or for all of them when <paramref name="process"/> is null.</summary>
    public double? MicrosecondsPer(int operations, string? process = null)
    {
        if (operations == 0 || Used.Count == 0)
        {
            return null;
        }

        var used = process is null ? Used.Values.Aggregate(TimeSpan.Zero, (sum, next) => sum + next) : Used[process];
        return used.TotalMicroseconds / operations;
    }
}
