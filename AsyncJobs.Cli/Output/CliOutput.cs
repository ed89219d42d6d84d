using System.Text.Json;
using Spectre.Console;

namespace AsyncJobs.Cli.Output;

/// <summary>
/// Where a command writes: for people, Spectre.Console on stdout (live progress only on a terminal); with <c>--json</c>,
/// JSON alone on stdout. Diagnostics go to stderr either way.
/// </summary>
public sealed class CliOutput
{
    // A redirected console reports 80 columns; tables of job ids would wrap mid-id in logs.
    private const int RedirectedWidth = 160;

    private readonly TextWriter stdout = System.Console.Out;

    private CliOutput(bool json, bool interactive, IAnsiConsole console, IAnsiConsole error)
    {
        Json = json;
        Interactive = interactive;
        Console = console;
        Error = error;
    }

    /// <summary>True with <c>--json</c>: stdout carries JSON only.</summary>
    public bool Json { get; }

    /// <summary>True when stdout is a terminal that can redraw a live progress bar.</summary>
    public bool Interactive { get; }

    /// <summary>Human output (stdout).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Diagnostics (stderr).</summary>
    public IAnsiConsole Error { get; }

    public static CliOutput Create(bool json)
    {
        var plain = json ? AnsiSupport.No : AnsiSupport.Detect;
        var colours = json ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = plain, ColorSystem = colours, Out = new AnsiConsoleOutput(System.Console.Out) });
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = plain, ColorSystem = colours, Out = new AnsiConsoleOutput(System.Console.Error) });
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        if (System.Console.IsErrorRedirected)
        {
            error.Profile.Width = RedirectedWidth;
        }

        var interactive = !json && !System.Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        return new CliOutput(json, interactive, console, error);
    }

    /// <summary>One JSON document on stdout.</summary>
    public void WriteJson<T>(T value) => stdout.WriteLine(JsonSerializer.Serialize(value, CliJson.Document));

    /// <summary>One NDJSON line on stdout, flushed at once so a reading script sees it live.</summary>
    public void WriteJsonLine<T>(T value)
    {
        stdout.WriteLine(JsonSerializer.Serialize(value, CliJson.Line));
        stdout.Flush();
    }

    /// <summary>A plain line on stdout, unformatted (progress lines in logs).</summary>
    public void WritePlainLine(string line)
    {
        stdout.WriteLine(line);
        stdout.Flush();
    }
}
