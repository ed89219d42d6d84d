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

    public static TimeSpan Used(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
