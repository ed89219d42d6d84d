using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AsyncJobs.Bench.Load;

/// <summary>
/// Closed-loop HTTP load from <c>wrk</c> (Debian's package; <c>scripts/infra.sh install-wrk</c>): each of
/// <c>clients</c> connections sends its next POST as soon as the previous answer arrives. wrk costs the shared
/// 2 cores a fraction of what a .NET HttpClient loop does, so what is measured is the server, not the client.
/// </summary>
public static class WrkLoad
{
    private const string ResultPrefix = "WRK-RESULT ";

    /// <summary>
    /// An unrecorded warm-up run, then the recorded one; <paramref name="window"/> is open exactly while the
    /// recorded wrk runs. A request succeeds when it is answered below 400 (wrk counts 4xx and 5xx as errors).
    /// </summary>
    public static async Task<LoadResult> RunForAsync(
        Uri url, byte[] body, string? bearerKey, int clients, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken,
        CpuWindow? window = null)
    {
        var script = Path.Combine(Path.GetTempPath(), $"asyncjobs-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, Script(body, bearerKey), cancellationToken);
        try
        {
            await RunAsync(url, script, clients, warmup, cancellationToken);
            window?.Open();
            var recorded = await RunAsync(url, script, clients, duration, cancellationToken);
            window?.Close();
            return recorded;
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<LoadResult> RunAsync(Uri url, string script, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var threads = Math.Min(clients, Environment.ProcessorCount);
        foreach (var argument in new[]
        {
            "--threads", threads.ToString(CultureInfo.InvariantCulture),
            "--connections", clients.ToString(CultureInfo.InvariantCulture),
            "--duration", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s",
            // wrk's default of 2 s would drop the slowest answers (the synchronous baseline's) instead of timing them.
            "--timeout", "60s",
            "--script", script,
            url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("wrk is not installed: run scripts/infra.sh install-wrk (Debian's wrk package).", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
            {
                throw new InvalidOperationException($"wrk against {url} exited with {process.ExitCode}: {await errors}{await output}");
            }

            return Parse(line[ResultPrefix.Length..]);
        }
    }

    private static LoadResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long Count(string name) => root.GetProperty(name).GetInt64();
        double Milliseconds(string name) => root.GetProperty(name).GetDouble() / 1000;

        var answered = Count("requests");
        var refused = Count("status");
        var lost = Count("connect") + Count("read") + Count("write") + Count("timeout");
        var latency = answered == 0
            ? LatencySummary.Empty
            : new LatencySummary((int)answered, Milliseconds("p50"), Milliseconds("p95"), Milliseconds("p99"), Milliseconds("max"), Milliseconds("mean"));
        var firstError = refused + lost == 0
            ? null
            : $"wrk: {refused} answers of 400 or above, {Count("timeout")} timeouts, {Count("connect") + Count("read") + Count("write")} socket errors";
        return new LoadResult((int)(answered - refused), (int)(refused + lost), TimeSpan.FromMicroseconds(Count("duration")), latency, firstError);
    }

    // Long brackets ([==[ ]==]) keep the JSON body and the key free of Lua escaping.
    private static string Script(byte[] body, string? bearerKey)
    {
        var script = new StringBuilder()
            .AppendLine("wrk.method = \"POST\"")
            .AppendLine(CultureInfo.InvariantCulture, $"wrk.body = [==[{Encoding.UTF8.GetString(body)}]==]")
            .AppendLine("wrk.headers[\"Content-Type\"] = \"application/json\"");
        if (bearerKey is not null)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Authorization\"] = [==[Bearer {bearerKey}]==]");
        }

        // done() runs once after the run, with every thread's counts and latencies merged (microseconds).
        return script.Append($$"""
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('{{ResultPrefix}}{"requests":%d,"duration":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%f}\n',
                summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
                latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
            end

            """)
            .ToString();
    }
}
