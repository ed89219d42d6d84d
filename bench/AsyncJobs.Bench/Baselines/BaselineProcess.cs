using System.Diagnostics;
using System.Reflection;

namespace AsyncJobs.Bench.Baselines;

/// <summary>
/// The harness's handle on a baseline server in a child process of its own (the harness run as
/// <c>AsyncJobs.Bench COMMAND</c>): ready once it prints a line starting with the ready prefix, stopped by closing its
/// standard input.
/// </summary>
public sealed class BaselineProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string readyPrefix;
    private readonly Queue<string> outputTail = new();

    private BaselineProcess(Process process, string readyPrefix)
    {
        this.process = process;
        this.readyPrefix = readyPrefix;
    }

    public int ProcessId => process.Id;

    /// <summary>What the child printed after the ready prefix (an address, say).</summary>
    public string ReadyText { get; private set; } = "";

    /// <param name="environment">Settings for the child, passed in its environment rather than on the command line, where every user of the machine could read a password.</param>
    public static async Task<BaselineProcess> StartAsync(string command, string readyPrefix, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var startInfo = StartInfo();
        startInfo.ArgumentList.Add(command);
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start the baseline '{command}'.");
        var server = new BaselineProcess(process, readyPrefix);
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
            ready.TrySetException(new InvalidOperationException($"The baseline process exited:\n{string.Join('\n', outputTail)}"));
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

        if (line.StartsWith(readyPrefix, StringComparison.Ordinal))
        {
            ReadyText = line[readyPrefix.Length..];
            ready.TrySetResult();
        }
    }
}
