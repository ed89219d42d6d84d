using System.Diagnostics;
using System.Globalization;

namespace AsyncJobs.LocalHost;

/// <summary>One service running as its own OS process (<c>dotnet AsyncJobs.X.dll</c>) on a fixed loopback port.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);
    private static readonly HttpClient HealthClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    // Variables Aspire owns: never inherit them from whoever started this process.
    private static readonly string[] OrchestratorPrefixes = ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "OTEL_", "ConnectionStrings__", "services__", "Seed__"];

    private readonly string assemblyPath;
    private readonly string workingDirectory;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly OutputLog log;
    private readonly string pidFile;
    private Process? process;

    /// <summary>Output goes to <c>DATA/logs/NAME.log</c>, the PID to <c>DATA/pids/NAME.pid</c>.</summary>
    public ServiceProcess(string name, int port, string assemblyPath, string workingDirectory, IReadOnlyDictionary<string, string> environment, string dataDirectory)
    {
        Name = name;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        this.assemblyPath = assemblyPath;
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        log = new OutputLog(Path.Combine(dataDirectory, "logs", $"{name}.log"));
        pidFile = Path.Combine(dataDirectory, "pids", $"{name}.pid");
    }

    public string Name { get; }

    public Uri Url { get; }

    public string LogPath => log.Path;

    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (ProcessId is not null)
        {
            throw new InvalidOperationException($"{Name} is already running (pid {ProcessId}).");
        }

        if (!File.Exists(assemblyPath))
        {
            throw new InvalidOperationException($"{assemblyPath} does not exist: build the solution first.");
        }

        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { assemblyPath },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in startInfo.Environment.Keys.Where(IsOrchestratorVariable).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        process?.Dispose();
        process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.Write($"--- {Name} started: pid {process.Id}, {Url}, {DateTimeOffset.UtcNow:O} ---");

        // Lets test.sh stop, by PID, a service whose test host died before disposing the topology.
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None);

        try
        {
            await WaitHealthyAsync(process, cancellationToken);
        }
        catch
        {
            Kill();
            throw;
        }
    }

    /// <summary>SIGKILL: the crash a test wants to survive.</summary>
    public void Kill()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit();
            log.Write($"--- {Name} killed, {DateTimeOffset.UtcNow:O} ---");
        }

        ForgetPid();
    }

    /// <summary>SIGTERM, the way an orchestrator stops a service, then SIGKILL when it does not stop in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process is not { HasExited: false } running)
        {
            return;
        }

        await ProcessSignal.TerminateAsync(running.Id);

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await running.WaitForExitAsync(timeout.Token);
            log.Write($"--- {Name} stopped with exit code {running.ExitCode}, {DateTimeOffset.UtcNow:O} ---");
            ForgetPid();
        }
        catch (OperationCanceledException)
        {
            log.Write($"--- {Name} did not stop within {grace.TotalSeconds:0} s: killing it ---");
            Kill();
        }
    }

    public string OutputTail() => log.Tail();

    public void Dispose()
    {
        Kill();
        process?.Dispose();
        log.Dispose();
    }

    private void ForgetPid()
    {
        if (File.Exists(pidFile))
        {
            File.Delete(pidFile);
        }
    }

    private static bool IsOrchestratorVariable(string key) =>
        OrchestratorPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : "dotnet";

    private async Task WaitHealthyAsync(Process running, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(HealthDeadline);
        var health = new Uri(Url, "/health");
        string lastAnswer = "no answer yet";
        var waited = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (running.HasExited)
                {
                    throw Failure($"exited with code {running.ExitCode} before it was healthy");
                }

                try
                {
                    using var response = await HealthClient.GetAsync(health, deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    lastAnswer = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(deadline.Token)}";
                }
                catch (HttpRequestException e)
                {
                    lastAnswer = e.Message;
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    lastAnswer = $"no answer within {HealthClient.Timeout.TotalSeconds:0} s";
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"was not healthy within {HealthDeadline.TotalSeconds:0} s (last /health answer: {lastAnswer})");
        }
        catch (OperationCanceledException cancelled)
        {
            // The caller gave up first (a test's deadline): say what the service was doing, so the failure can be read.
            var state = running.HasExited ? $"exited with code {running.ExitCode}" : "still running";
            throw new OperationCanceledException(
                Describe($"was not healthy {waited.Elapsed.TotalSeconds:0.0} s after start when the caller cancelled ({state}; last /health answer: {lastAnswer})"),
                cancelled,
                cancellationToken);
        }
    }

    private InvalidOperationException Failure(string what) => new(Describe(what));

    private string Describe(string what) => $"{Name} ({Url}) {what}. Output ({log.Path}):\n{log.Tail()}";
}
