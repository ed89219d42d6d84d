using AsyncJobs.Bench.Scenarios;
using AsyncJobs.LocalHost;

namespace AsyncJobs.Bench;

/// <summary>The command line: <c>[--short] [--out DIR] [--only accept,pickup,...] [--accept-clients 64]</c>.</summary>
public sealed record BenchOptions(bool IsShort, string OutputDirectory, IReadOnlySet<string> Only, bool ShowHelp, int[]? AcceptClients = null)
{
    public static string Usage { get; } = $"""
        Usage: dotnet run --project bench/AsyncJobs.Bench -c Release -- [--short] [--out DIR] [--only NAME,...] [--accept-clients N,...]

          --short        every scenario, small and quick (CI: keeps the tool from rotting; never asserts timings)
          --out DIR      where latest.json, latest.md and the PNG charts go (default: bench/results)
          --only NAMES   comma-separated scenarios: {string.Join(", ", ScenarioCatalog.Names)}
          --accept-clients N,...
                         the accept scenario's concurrency levels (default 1,16,64), e.g. 64 alone while profiling
          --help         this text
        """;

    public BenchProfile Profile => (IsShort ? BenchProfile.ShortRun : BenchProfile.FullRun) is var profile && AcceptClients is { } levels
        ? profile with { AcceptConcurrency = levels }
        : profile;

    public bool Includes(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public static bool TryParse(IReadOnlyList<string> args, out BenchOptions options, out string error)
    {
        var isShort = false;
        var showHelp = false;
        string? output = null;
        int[]? acceptClients = null;
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        options = null!;
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--short":
                    isShort = true;
                    break;
                case "--help" or "-h":
                    showHelp = true;
                    break;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case "--only" when i + 1 < args.Count:
                    foreach (var name in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!ScenarioCatalog.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
                        {
                            error = $"Unknown scenario '{name}'.";
                            return false;
                        }

                        only.Add(name);
                    }

                    break;
                case "--accept-clients" when i + 1 < args.Count:
                    var levels = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (levels.Length == 0 || levels.Any(level => !int.TryParse(level, out var clients) || clients < 1))
                    {
                        error = $"--accept-clients takes positive whole numbers, e.g. 1,16,64; got '{args[i]}'.";
                        return false;
                    }

                    acceptClients = [.. levels.Select(int.Parse)];
                    break;
                default:
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return false;
            }
        }

        var outputDirectory = output is null
            ? Path.Combine(RepositoryRoot.Find(), "bench", "results")
            : Path.GetFullPath(output);
        options = new BenchOptions(isShort, outputDirectory, only, showHelp, acceptClients);
        return true;
    }
}
