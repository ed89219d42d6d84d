using System.Globalization;
using AsyncJobs.Cli.Output;
using AsyncJobs.Client.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AsyncJobs.Cli.Jobs;

/// <summary>Jobs for people: a submitted handle, a job's details, its outcome, and job tables.</summary>
public static class JobView
{
    public static void WriteSubmitted(IAnsiConsole console, string type, JobHandle handle)
    {
        console.Write(Line($"Submitted job {handle.Id} ({type}): {JobText.Status(handle.Status)}" + (handle.Replayed ? " (an earlier submission with this idempotency key)" : ""), Color.Green));
        var grid = new Grid().AddColumn(new GridColumn().PadLeft(2)).AddColumn();
        grid.AddRow(Label("events"), new Text(handle.Links.Events));
        grid.AddRow(Label("job token"), new Text(handle.JobToken));
        grid.AddRow(Label("idempotency key"), new Text(handle.IdempotencyKey));
        console.Write(grid);
        console.Write(Line($"Follow it with: asyncjobs watch {handle.Id}", Color.Grey));
    }

    /// <summary>How the job ended: the result as pretty JSON, the error with a hint to replay it, or the cancellation.</summary>
    public static void WriteOutcome(IAnsiConsole console, Job job)
    {
        var took = job is { StartedAt: { } started, FinishedAt: { } finished } ? $" in {JobText.Duration(finished - started)}" : "";
        switch (job.Status)
        {
            case JobStatus.Succeeded:
                console.Write(Line($"Job {job.Id} succeeded{took} (attempt {job.Attempt} of {job.MaxAttempts}).", Color.Green, Decoration.Bold));
                if (job.Result is { } result)
                {
                    console.Write(Line("Result:"));
                    console.Write(Line(CliJson.Pretty(result)));
                }

                break;
            case JobStatus.Failed:
                console.Write(Line($"Job {job.Id} failed (attempt {job.Attempt} of {job.MaxAttempts}).", Color.Red, Decoration.Bold));
                if (job.Error is { } error)
                {
                    console.Write(Line($"Error: {JobText.Error(error)}", Color.Red));
                }

                console.Write(Line($"It is a dead letter now; replay it with: asyncjobs retry {job.Id}", Color.Grey));
                break;
            case JobStatus.Cancelled:
                console.Write(Line($"Job {job.Id} was cancelled (attempt {job.Attempt}).", Color.Yellow, Decoration.Bold));
                break;
            default:
                console.Write(Line($"Job {job.Id} is {JobText.Status(job.Status)}.", JobText.ColourOf(job.Status)));
                break;
        }
    }

    public static void WriteJob(IAnsiConsole console, Job job)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(Label("id"), new Text(job.Id.ToString()));
        grid.AddRow(Label("type"), new Text(job.Type));
        grid.AddRow(Label("status"), new Text(JobText.Status(job.Status), new Style(JobText.ColourOf(job.Status), decoration: Decoration.Bold)));
        grid.AddRow(Label("priority"), new Text(job.Priority.ToString().ToLowerInvariant()));
        grid.AddRow(Label("attempt"), new Text($"{job.Attempt} of {job.MaxAttempts} (timeout {job.TimeoutSeconds} s each)"));
        grid.AddRow(Label("progress"), new Text($"{job.Progress.Percent}%  {JobText.Step(job.Progress)}".TrimEnd()));
        grid.AddRow(Label("created"), new Text(Time(job.CreatedAt)));
        grid.AddRow(Label("started"), new Text(Time(job.StartedAt)));
        grid.AddRow(Label("finished"), new Text(Time(job.FinishedAt)));
        if (job.Error is { } error)
        {
            grid.AddRow(Label("error"), new Text(JobText.Error(error), new Style(Color.Red)));
        }

        if (job.Metadata is { } metadata)
        {
            grid.AddRow(Label("metadata"), new Text(CliJson.Pretty(metadata)));
        }

        if (job.Result is { } result)
        {
            grid.AddRow(Label("result"), new Text(CliJson.Pretty(result)));
        }

        console.Write(grid);
        var history = new Table().Title("history").AddColumns("at", "status", "attempt", "error");
        foreach (var entry in job.History)
        {
            history.AddRow(
                new Text(Time(entry.At)),
                new Text(JobText.Status(entry.Status), new Style(JobText.ColourOf(entry.Status))),
                new Text(entry.Attempt.ToString(CultureInfo.InvariantCulture)),
                new Text(entry.Error is { } e ? JobText.Error(e) : ""));
        }

        console.Write(history);
    }

    public static void WriteTable(IAnsiConsole console, IReadOnlyList<JobSummary> jobs)
    {
        if (jobs.Count == 0)
        {
            console.Write(Line("No jobs.", Color.Grey));
            return;
        }

        var table = new Table().AddColumns("id", "type", "status", "attempt", "progress", "created");
        foreach (var job in jobs)
        {
            table.AddRow(
                new Text(job.Id.ToString()).Overflow(Overflow.Ellipsis),
                new Text(job.Type),
                new Text(JobText.Status(job.Status), new Style(JobText.ColourOf(job.Status))),
                new Text(job.Attempt.ToString(CultureInfo.InvariantCulture)),
                new Text($"{job.Progress.Percent}% {JobText.Step(job.Progress)}".TrimEnd()),
                new Text(Time(job.CreatedAt)));
        }

        console.Write(table);
    }

    public static IRenderable Line(string text, Color? colour = null, Decoration decoration = Decoration.None) =>
        new Text(text + "\n", new Style(colour, decoration: decoration));

    public static string Time(DateTimeOffset? at) =>
        at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    private static Text Label(string name) => new(name, new Style(Color.Grey));
}
