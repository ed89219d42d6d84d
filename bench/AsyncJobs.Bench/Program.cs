using System.Runtime.InteropServices;
using AsyncJobs.Bench;
using AsyncJobs.Bench.Baselines;

if (args is [HangfireServerChild.Command, ..])
{
    return await HangfireServerChild.RunAsync();
}

if (args is [BareSseServerChild.Command, ..])
{
    return await BareSseServerChild.RunAsync();
}

if (!BenchOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await new BenchRunner(options).RunAsync(stopping.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
