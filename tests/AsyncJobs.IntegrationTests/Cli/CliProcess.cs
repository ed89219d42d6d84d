using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading.Channels;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Cli;

/// <summary>
/// The <c>asyncjobs</c> CLI as a real process (<c>dotnet AsyncJobs.Cli.dll ...</c>, from the CLI's own build output),
/// its stdout and stderr redirected as in a script or CI, and its settings from the environment only.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private static readonly string Configuration =
        typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private readonly Process process;
    private readonly string command;
    private readonly List<string> lines = [];
    private readonly Channel<string> unread = Channel.CreateUnbounded<string>();
    private readonly StringBuilder stderr = new();

    private CliProcess(Process process, string command)
    {
        this.process = process;
        this.command = command;
    }

    public static string CliAssembly => Path.Combine(RepositoryRoot.Find(), "AsyncJobs.Cli", "bin", Configuration, "net10.0", "AsyncJobs.Cli.dll");

    public static CliProcess Start(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments)
    {
        File.Exists(CliAssembly).ShouldBeTrue($"{CliAssembly} is missing: build AsyncJobs.Cli ({Configuration}) first");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASYNCJOBS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var cli = new CliProcess(new Process { StartInfo = start }, string.Join(' ', arguments));
        cli.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cli.unread.Writer.TryComplete();
                return;
            }

            lock (cli.lines)
            {
                cli.lines.Add(e.Data);
            }

            cli.unread.Writer.TryWrite(e.Data);
        };
        cli.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (cli.stderr)
                {
                    cli.stderr.AppendLine(e.Data);
                }
            }
        };
        cli.process.Start();
        cli.process.StandardInput.Close();
        cli.process.BeginOutputReadLine();
        cli.process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Reads stdout as it comes until a line matches (the caller's token is the deadline).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in unread.Reader.ReadAllAsync(cancellationToken))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"The CLI never printed {what} before the deadline.\n{Snapshot(null)}");
        }

        throw new ShouldAssertException($"The CLI ended without printing {what}.\n{Snapshot(null)}");
    }

    public async Task<CliRun> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"The CLI did not exit before the deadline.\n{Snapshot(null)}");
        }

        // The parameterless wait also waits for the redirected streams to be read to their end.
        process.WaitForExit();
        return Snapshot(process.ExitCode);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
    }

    private CliRun Snapshot(int? exitCode)
    {
        lock (lines)
        {
            lock (stderr)
            {
                return new CliRun(command, exitCode ?? -1, [.. lines], stderr.ToString());
            }
        }
    }
}
