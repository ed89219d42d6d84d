using System.Diagnostics;
using System.Reflection;

namespace AsyncJobs.Bench.Baselines;

/// <summary>The harness's handle on the <see cref="HangfireServerChild"/> process: started once, stopped by its PID.</summary>
public sealed class HangfireServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Queue<string> outputTail = new();

    private HangfireServerProcess(Process process) => this.process = process;

    public int ProcessId => process.Id;

    public static async Task<HangfireServerProcess> StartAsync(string connectionString, int workers, CancellationToken cancellationToken)
    {
        var startInfo = StartInfo();
        startInfo.ArgumentList.Add(HangfireServerChild.Command);
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        // Not on the command line, where every user of the machine could read the password.
        startInfo.Environment[HangfireServerChild.ConnectionVariable] = connectionString;
        startInfo.Environment[HangfireServerChild.WorkersVariable] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the baseline Hangfire server.");
        var server = new HangfireServerProcess(process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Observe(e.Data, ready);
        process.ErrorDataReceived += (_, e) => server.Observe(e.Data, ready);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // Closing its input is the child's signal to stop its server and exit.
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    private static ProcessStartInfo StartInfo()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var assembly = Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("No entry assembly.");
        // Under `dotnet run` the harness is its apphost; under `dotnet AsyncJobs.Bench.dll` it is the dotnet host.
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host) { ArgumentList = { assembly } }
            : new ProcessStartInfo(host);
    }

    private void Observe(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            ready.TrySetException(new InvalidOperationException($"The baseline Hangfire server exited:\n{string.Join('\n', outputTail)}"));
            return;
        }

        lock (outputTail)
        {
            outputTail.Enqueue(line);
            if (outputTail.Count > 50)
            {
                outputTail.Dequeue();
            }
        }

        if (line == HangfireServerChild.ReadyLine)
        {
            ready.TrySetResult();
        }
    }
}
