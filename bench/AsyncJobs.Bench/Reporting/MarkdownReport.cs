using System.Text;
using AsyncJobs.Bench.Results;

namespace AsyncJobs.Bench.Reporting;

/// <summary>The run as Markdown: per scenario, each figure next to its baseline, the ratio and issue 8's target.</summary>
public static class MarkdownReport
{
    public static string Render(BenchReport report, IReadOnlyList<string> chartFiles)
    {
        var text = new StringBuilder();
        text.AppendLine("# AsyncJobs benchmark: latest run").AppendLine();
        text.AppendLine($"- Mode: **{report.Mode}**{(report.Mode == "short" ? " (a smoke run: the figures prove the tool works, they do not measure)" : "")}");
        text.AppendLine($"- Started: {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.DurationSeconds:0} s in all, commit `{report.Commit}`");
        text.AppendLine($"- Machine: {report.Machine}; load average at start {report.LoadAverageAtStart:0.0}" +
            (report.LoadAverageAtStart > 2 ? " (**busy: other work was running, figures are noisy**)" : ""));
        text.AppendLine("- Ratio = figure ÷ baseline, both from this run. Targets are issue 8's; ✓/✗ report, nothing asserts them.").AppendLine();

        foreach (var scenario in report.Scenarios)
        {
            text.AppendLine($"## {scenario.Title}").AppendLine();
            switch (scenario.Status)
            {
                case ScenarioStatus.Skipped:
                    text.AppendLine($"Skipped: {scenario.Error}").AppendLine();
                    continue;
                case ScenarioStatus.Failed:
                    text.AppendLine($"**Failed** after {scenario.DurationSeconds:0} s: `{FirstLine(scenario.Error)}` (details in latest.json).").AppendLine();
                    break;
            }

            if (scenario.Measurements.Count > 0)
            {
                text.AppendLine("| figure | AsyncJobs | baseline | baseline value | ratio | target |");
                text.AppendLine("| --- | ---: | --- | ---: | ---: | --- |");
                foreach (var m in scenario.Measurements)
                {
                    text.AppendLine($"| {m.Name} | {Format.Value(m.Value, m.Unit)} | {m.Baseline} | {(m.BaselineValue is null ? "" : Format.Value(m.BaselineValue, m.Unit))} | {Format.Ratio(m.Ratio)} | {TargetCell(m)} |");
                }

                text.AppendLine();
            }

            foreach (var m in scenario.Measurements.Where(m => m.Note is not null))
            {
                text.AppendLine($"- {m.Name}: {m.Note}");
            }

            foreach (var note in scenario.Notes)
            {
                text.AppendLine($"- {note}");
            }

            foreach (var chart in chartFiles.Where(c => c.EndsWith($"-{scenario.Name}.png", StringComparison.Ordinal)))
            {
                text.AppendLine().AppendLine($"![{chart}]({chart})");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string TargetCell(Measurement m) => m.Target is null
        ? ""
        : m.MeetsTarget switch
        {
            true => $"{m.Target.Text} ✓",
            false => $"{m.Target.Text} ✗",
            null => m.Target.Text,
        };

    private static string FirstLine(string? text) => (text ?? "").Split('\n')[0].Trim().Replace("`", "'", StringComparison.Ordinal);
}
