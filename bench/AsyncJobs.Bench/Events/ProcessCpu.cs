using System.Globalization;

namespace AsyncJobs.Bench.Events;

/// <summary>
/// A process's CPU time (user + system) from <c>/proc/PID/stat</c>: what work costs the notifier, whatever else
/// the machine is doing (unlike latency, which a loaded machine stretches).
/// </summary>
public static class ProcessCpu
{
    // USER_HZ: /proc reports CPU time in clock ticks, 100 per second on Linux.
    private const double TicksPerSecond = 100;

    public static TimeSpan Used(int processId) => TimeSpan.FromSeconds(Ticks(Fields(processId)) / TicksPerSecond);

    /// <summary>
    /// The CPU time of a process and its children that are alive now: PostgreSQL's postmaster and its backends. A child
    /// that exits between two readings takes its time with it, so compare readings over a window without reconnects.
    /// </summary>
    public static TimeSpan UsedWithChildren(int parentId)
    {
        var parent = parentId.ToString(CultureInfo.InvariantCulture);
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
            {
                continue;
            }

            try
            {
                var fields = Fields(processId);
                if (processId == parentId || fields[1] == parent)
                {
                    ticks += Ticks(fields);
                }
            }
            catch (IOException)
            {
                // Exited while the list was read.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// The CPU time of a process plus that of its children that have exited and been waited for (cutime and cstime):
    /// the harness with the wrk runs it started.
    /// </summary>
    public static TimeSpan UsedWithExitedChildren(int processId)
    {
        var fields = Fields(processId);
        var children = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((Ticks(fields) + children) / TicksPerSecond);
    }

    /// <summary>The parent process id of a process.</summary>
    public static int ParentOf(int processId) => int.Parse(Fields(processId)[1], CultureInfo.InvariantCulture);

    // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3 (index 0 here),
    // the parent 4 (1), utime 14 (11), stime 15 (12), cutime 16 (13), cstime 17 (14).
    private static string[] Fields(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long Ticks(string[] fields) =>
        long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}
