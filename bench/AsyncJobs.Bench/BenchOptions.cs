using AsyncJobs.Bench.Scenarios;
using AsyncJobs.LocalHost;

namespace AsyncJobs.Bench;

/// <summary>The command line: <c>[--short] [--out DIR] [--only accept,pickup,...]</c>.</summary>
public sealed record BenchOptions(bool IsShort, string OutputDirectory, IReadOnlySet<string> Only, bool ShowHelp)
{
    public static string Usage { get; } = $"""
        Usage: dotnet run --project bench/AsyncJobs.Bench -c Release -- [--short] [--out DIR] [--only NAME,...]

          --short        every scenario, small and quick (CI: keeps the tool from rotting; never asserts timings)
          --out DIR      where latest.json, latest.md and the PNG charts go (default: bench/results)
          --only NAMES   comma-separated scenarios: {string.Join(", ", ScenarioCatalog.Names)}
          --help         this text
        """;

    public BenchProfile Profile => IsShort ? BenchProfile.ShortRun : BenchProfile.FullRun;

    public bool Includes(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public static bool TryParse(IReadOnlyList<string> args, out BenchOptions options, out string error)
    {
        var isShort = false;
        var showHelp = false;
        string? output = null;
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
                default:
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return false;
            }
        }

        var outputDirectory = output is null
            ? Path.Combine(RepositoryRoot.Find(), "bench", "results")
            : Path.GetFullPath(output);
        options = new BenchOptions(isShort, outputDirectory, only, showHelp);
        return true;
    }
}
