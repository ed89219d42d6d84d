using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AsyncJobs.Bench.Reporting;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Scenarios;
using AsyncJobs.Bench.Topology;
using AsyncJobs.LocalHost;

namespace AsyncJobs.Bench;

/// <summary>Starts the topology, runs the chosen scenarios in order, writes the results. Exit code: 0, 1 when a scenario failed, 130 when interrupted.</summary>
public sealed class BenchRunner(BenchOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Baseline calls block (Hangfire's Enqueue) and thousands of streams are read at once: don't wait for the pool to grow.
        ThreadPool.SetMinThreads(256, 256);
        var console = new BenchConsole();
        await WaitForQuietAsync(console, options.Profile.SettleTimeout, cancellationToken);
        var report = new BenchReport
        {
            Mode = options.Profile.Name,
            StartedAt = DateTimeOffset.UtcNow,
            Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            LoadAverageAtStart = LoadAverage(),
            Commit = await CommitAsync(),
        };
        console.Heading($"AsyncJobs benchmark ({report.Mode} run) at {report.Commit}");
        if (report.LoadAverageAtStart > Environment.ProcessorCount)
        {
            console.Warn($"Load average {report.LoadAverageAtStart:0.0} on {Environment.ProcessorCount} cores: other work is running, every figure will be noisy.");
        }

        var clock = Stopwatch.StartNew();
        BenchTopology topology;
        try
        {
            topology = await console.StepAsync("starting PostgreSQL, Redis, API, worker and notifier", TimeSpan.FromSeconds(15),
                () => BenchTopology.StartAsync(cancellationToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            console.Error($"The topology did not start: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }

        await using (topology)
        {
            await using var context = new BenchContext(options.Profile, topology, console);
            foreach (var scenario in ScenarioCatalog.All.Where(s => options.Includes(s.Name)))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var result = new ScenarioResult(scenario.Name, scenario.Title);
                report.Scenarios.Add(result);
                await RunScenarioAsync(scenario, context, result, cancellationToken);
            }
        }

        report.DurationSeconds = clock.Elapsed.TotalSeconds;
        var written = await ReportFiles.WriteAsync(report, options.OutputDirectory, CancellationToken.None);
        console.Info($"Results: {string.Join(", ", written.Select(p => Path.GetRelativePath(Environment.CurrentDirectory, p)))} ({report.DurationSeconds:0} s in all)");
        return cancellationToken.IsCancellationRequested ? 130 : report.Failed ? 1 : 0;
    }

    private static async Task RunScenarioAsync(IScenario scenario, BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var console = context.Console;
        console.Heading(scenario.Title);
        var clock = Stopwatch.StartNew();
        try
        {
            await scenario.RunAsync(context, result, cancellationToken);
        }
        catch (ScenarioSkippedException skipped)
        {
            result.Status = ScenarioStatus.Skipped;
            result.Error = skipped.Message;
            console.Warn($"{scenario.Name}: skipped, {skipped.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result.Status = ScenarioStatus.Failed;
            result.Error = "interrupted";
        }
        catch (Exception exception)
        {
            result.Status = ScenarioStatus.Failed;
            result.Error = exception.ToString();
            console.Error($"{scenario.Name} failed: {exception}");
        }

        result.DurationSeconds = clock.Elapsed.TotalSeconds;
        if (result.Measurements.Count > 0)
        {
            console.Print(result);
        }
    }

    private static async Task WaitForQuietAsync(BenchConsole console, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var load = LoadAverage();
        if (timeout <= TimeSpan.Zero || !(load >= BenchProfile.QuietLoadAverage))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await console.StepAsync($"waiting for the machine to settle (load average {load:0.0}, below {BenchProfile.QuietLoadAverage:0.0} or {timeout.TotalMinutes:0} min)", timeout, async () =>
            {
                while (LoadAverage() >= BenchProfile.QuietLoadAverage && clock.Elapsed < timeout)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                }
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted while waiting: the run ends at its first step.
        }
    }

    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private static async Task<string> CommitAsync()
    {
        try
        {
            var startInfo = new ProcessStartInfo("git", ["-C", RepositoryRoot.Find(), "describe", "--always", "--dirty"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(startInfo)!;
            var output = await git.StandardOutput.ReadToEndAsync();
            await git.WaitForExitAsync();
            return git.ExitCode == 0 ? output.Trim() : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
