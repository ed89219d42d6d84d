using System.Diagnostics;
using System.Globalization;
using AsyncJobs.Bench.Results;
using Spectre.Console;

namespace AsyncJobs.Bench.Reporting;

/// <summary>Live progress while a step runs, then each scenario's figures as a table, as soon as it has them.</summary>
public sealed class BenchConsole
{
    private readonly IAnsiConsole console = AnsiConsole.Console;

    public BenchConsole()
    {
        // A CI log has no terminal width: Spectre would assume 80 columns and wrap every table row.
        if (!Interactive)
        {
            console.Profile.Width = Math.Max(console.Profile.Width, 200);
        }
    }

    private bool Interactive => console.Profile.Capabilities.Interactive;

    public void Heading(string text) => console.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());

    public void Info(string text) => console.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    public void Warn(string text) => console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");

    public void Error(string text) => console.MarkupLine($"[red]{Markup.Escape(text)}[/]");

    /// <summary>Runs one step with a progress bar that fills over its expected duration (a spinner line when not interactive).</summary>
    public async Task<T> StepAsync<T>(string description, TimeSpan expected, Func<Task<T>> step)
    {
        var clock = Stopwatch.StartNew();
        if (!Interactive)
        {
            Info($"  {description}...");
            var result = await step();
            Info($"  {description}: {clock.Elapsed.TotalSeconds:0.0} s");
            return result;
        }

        T? outcome = default;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(expected.TotalSeconds, 0.1));
                var work = step();
                while (!work.IsCompleted)
                {
                    task.Value = Math.Min(clock.Elapsed.TotalSeconds, task.MaxValue * 0.99);
                    await Task.WhenAny(work, Task.Delay(100));
                }

                task.Value = task.MaxValue;
                outcome = await work;
            });
        Info($"  {description}: {clock.Elapsed.TotalSeconds:0.0} s");
        return outcome!;
    }

    public Task StepAsync(string description, TimeSpan expected, Func<Task> step) =>
        StepAsync(description, expected, async () =>
        {
            await step();
            return true;
        });

    public void Print(ScenarioResult result)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(result.Title)}[/]");
        table.AddColumns("figure", "value", "baseline", "baseline value", "ratio", "target");
        foreach (var m in result.Measurements)
        {
            table.AddRow(
                Markup.Escape(m.Name),
                Markup.Escape(Format.Value(m.Value, m.Unit)),
                Markup.Escape(m.Baseline ?? ""),
                Markup.Escape(m.BaselineValue is null ? "" : Format.Value(m.BaselineValue, m.Unit)),
                Markup.Escape(Format.Ratio(m.Ratio)),
                TargetMarkup(m));
        }

        console.Write(table);
        foreach (var note in result.Measurements.Where(m => m.Note is not null).Select(m => $"{m.Name}: {m.Note}").Concat(result.Notes))
        {
            Info($"  · {note}");
        }
    }

    private static string TargetMarkup(Measurement m) => m.Target is null
        ? ""
        : m.MeetsTarget switch
        {
            true => $"[green]{Markup.Escape(m.Target.Text)} ✓[/]",
            false => $"[red]{Markup.Escape(m.Target.Text)} ✗[/]",
            null => Markup.Escape(m.Target.Text),
        };
}

/// <summary>Numbers as people read them: few significant digits, thousands separated.</summary>
public static class Format
{
    public static string Value(double? value, string unit) => value switch
    {
        null => "n/a",
        { } v when double.IsNaN(v) => "n/a",
        { } v => $"{Number(v)} {unit}",
    };

    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double? ratio) => ratio is { } r && double.IsFinite(r) ? $"{Number(r)}x" : "";
}
