using System.Globalization;

namespace AsyncJobs.Bench.Topology;

public static class ProcessMemory
{
    /// <summary>Resident set size from <c>/proc/PID/status</c> (VmRSS), in KiB.</summary>
    public static long ResidentKilobytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS line.");
    }
}
