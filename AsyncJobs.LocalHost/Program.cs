using System.Runtime.InteropServices;
using AsyncJobs.LocalHost;

using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

await using var topology = new LocalTopology(LocalTopologyOptions.ForRun(RepositoryRoot.Find()));
try
{
    await topology.StartAsync(stopping.Token);
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    return 130;
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync($"AsyncJobs did not start: {e.Message}");
    return 1;
}

RunBanner.Write(Console.Out, topology);
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
}

Console.WriteLine("Stopping the services, PostgreSQL and Redis...");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
