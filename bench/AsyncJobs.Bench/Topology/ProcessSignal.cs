using System.Diagnostics;

namespace AsyncJobs.Bench.Topology;

/// <summary>Sends a POSIX signal with <c>kill</c>: .NET can only send SIGKILL itself.</summary>
public static class ProcessSignal
{
    /// <summary>SIGSTOP: the process stops where it is, and keeps its memory, connections and compiled code.</summary>
    public static Task StopAsync(int processId, CancellationToken cancellationToken) => SendAsync("STOP", processId, cancellationToken);

    /// <summary>SIGCONT: a stopped process carries on.</summary>
    public static Task ContinueAsync(int processId, CancellationToken cancellationToken) => SendAsync("CONT", processId, cancellationToken);

    private static async Task SendAsync(string signal, int processId, CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} exited with {kill.ExitCode}.");
        }
    }
}
