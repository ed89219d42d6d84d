using System.Diagnostics;
using System.Globalization;

namespace AsyncJobs.LocalHost;

/// <summary>Sends a POSIX signal with <c>kill</c>: .NET can only send SIGKILL itself.</summary>
public static class ProcessSignal
{
    /// <summary>SIGTERM: the process shuts down the way an orchestrator asks it to.</summary>
    public static Task<bool> TerminateAsync(int processId, CancellationToken cancellationToken = default) => SendAsync("TERM", processId, cancellationToken);

    /// <summary>SIGSTOP: the process stops where it is, and keeps its memory, connections and compiled code.</summary>
    public static Task<bool> StopAsync(int processId, CancellationToken cancellationToken = default) => SendAsync("STOP", processId, cancellationToken);

    /// <summary>SIGCONT: a stopped process carries on.</summary>
    public static Task<bool> ContinueAsync(int processId, CancellationToken cancellationToken = default) => SendAsync("CONT", processId, cancellationToken);

    /// <summary>True when <c>kill</c> delivered the signal; false when it could not (e.g. the process had exited).</summary>
    private static async Task<bool> SendAsync(string signal, int processId, CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
        return kill.ExitCode == 0;
    }
}
