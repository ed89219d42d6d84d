using AsyncJobs.Bench.Results;
using ScottPlot;

namespace AsyncJobs.Bench.Reporting;

/// <summary>
/// PNG charts a person looks at: per scenario, latency percentiles (p50/p95/p99 per series) and throughput next
/// to the baselines. Both on a log scale: the baselines span four orders of magnitude (work in the request vs Kestrel).
/// </summary>
public static class Charts
{
    private static readonly string[] Percentiles = ["p50", "p95", "p99"];

    public static IReadOnlyList<string> Write(BenchReport report, string directory)
    {
        var written = new List<string>();
        foreach (var scenario in report.Scenarios.Where(s => s.Status != ScenarioStatus.Skipped))
        {
            if (scenario.Latencies.Exists(l => l.Summary.Count > 0))
            {
                written.Add(Latency(scenario, Path.Combine(directory, $"latency-{scenario.Name}.png"), report.Mode));
            }

            if (scenario.Throughputs.Exists(t => t.PerSecond > 0))
            {
                written.Add(Throughput(scenario, Path.Combine(directory, $"throughput-{scenario.Name}.png"), report.Mode));
            }
        }

        return written;
    }

    private static string Latency(ScenarioResult scenario, string path, string mode)
    {
        var series = scenario.Latencies.Where(l => l.Summary.Count > 0).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < series.Count; i++)
        {
            var summary = series[i].Summary;
            double[] values = [summary.P50, summary.P95, summary.P99];
            for (var k = 0; k < values.Length; k++)
            {
                var color = palette.GetColor(k);
                bars.Add(new Bar
                {
                    Position = (i * 4) + k,
                    Value = LogScale.Of(values[k]),
                    ValueBase = LogScale.Floor,
                    FillColor = series[i].IsBaseline ? color.WithAlpha(0.45) : color,
                    // p95 unlabelled: three adjacent labels run into each other, and the table has every number.
                    Label = k == 1 ? "" : Format.Number(values[k]),
                });
            }

            ticks.Add(new Tick((i * 4) + 1, series[i].Label + (series[i].IsBaseline ? " (baseline)" : ""), isMajor: true));
        }

        plot.Add.Bars(bars);
        for (var k = 0; k < Percentiles.Length; k++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = Percentiles[k], FillColor = palette.GetColor(k) });
        }

        Decorate(plot, $"{scenario.Title}: latency (ms, log scale; pale = baseline; {mode} run)", "milliseconds", ticks);
        plot.SavePng(path, Math.Max(900, 130 * series.Count), 640);
        return path;
    }

    private static string Throughput(ScenarioResult scenario, string path, string mode)
    {
        var groups = scenario.Throughputs.Select(t => t.Group).Distinct().ToList();
        var labels = scenario.Throughputs.Select(t => t.Label).Distinct().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var slot = labels.Count + 1;
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var bar in scenario.Throughputs.Where(t => t.Group == groups[g]))
            {
                var k = labels.IndexOf(bar.Label);
                bars.Add(new Bar
                {
                    Position = (g * slot) + k,
                    Value = LogScale.Of(bar.PerSecond),
                    ValueBase = LogScale.Floor,
                    FillColor = palette.GetColor(k),
                    Label = Format.Number(bar.PerSecond),
                });
            }

            ticks.Add(new Tick((g * slot) + ((labels.Count - 1) / 2.0), groups[g], isMajor: true));
        }

        plot.Add.Bars(bars);
        for (var k = 0; k < labels.Count; k++)
        {
            var baseline = scenario.Throughputs.First(t => t.Label == labels[k]).IsBaseline;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = labels[k] + (baseline ? " (baseline)" : ""), FillColor = palette.GetColor(k) });
        }

        Decorate(plot, $"{scenario.Title}: per second (log scale; {mode} run)", "per second", ticks);
        plot.SavePng(path, Math.Max(900, 60 * bars.Count), 600);
        return path;
    }

    private static void Decorate(Plot plot, string title, string unit, List<Tick> ticks)
    {
        plot.Title(title);
        plot.YLabel($"{unit} (log)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -20;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
        plot.Axes.Bottom.MinimumSize = 140;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. LogScale.Ticks()]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>Bars drawn on log10 of their value, from 0.01 up; the axis labelled in the original unit.</summary>
    private static class LogScale
    {
        public const double Floor = -2;

        public static double Of(double value) => double.IsFinite(value) && value > 0 ? Math.Max(Math.Log10(value), Floor) : Floor;

        public static IEnumerable<Tick> Ticks()
        {
            for (var exponent = -2; exponent <= 6; exponent++)
            {
                yield return new Tick(exponent, Format.Number(Math.Pow(10, exponent)), isMajor: true);
            }
        }
    }
}
