using System.Globalization;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Jobs;
using Spectre.Console;

namespace AsyncJobs.Cli.Jobs;

/// <summary>How jobs and their events read in one line, for progress lines, tables and outcomes.</summary>
public static class JobText
{
    public static string Status(JobStatus status) => status.ToApiName();

    public static Color ColourOf(JobStatus status) => status switch
    {
        JobStatus.Succeeded => Color.Green,
        JobStatus.Failed => Color.Red,
        JobStatus.Cancelled => Color.Yellow,
        JobStatus.Retrying => Color.Orange1,
        JobStatus.Running => Color.DodgerBlue1,
        _ => Color.Grey,
    };

    /// <summary>The step message with the step's name, e.g. <c>Step 2 of 5 done (step-2)</c>.</summary>
    public static string Step(JobProgress? progress) => progress switch
    {
        { Message: { Length: > 0 } message, Step: { Length: > 0 } step } => $"{message} ({step})",
        { Message: { Length: > 0 } message } => message,
        { Step: { Length: > 0 } step } => step,
        _ => "",
    };

    public static string Error(JobError error) =>
        $"{error.Type}: {error.Message} (attempt {error.Attempt}{(error.Retryable ? ", retryable" : "")})";

    /// <summary>What an event says beyond its state: the step, the failed attempt and when the next is due, or the attempt that started.</summary>
    public static string Detail(JobEvent jobEvent) => jobEvent switch
    {
        { Error: { NextAttemptAt: { } next } error } => $"{Error(error)}; next attempt at {next.ToLocalTime():HH:mm:ss}",
        { Error: { } error } => Error(error),
        { Type: JobEventTypes.Running } => $"attempt {jobEvent.Attempt} started" + (Step(jobEvent.Progress) is { Length: > 0 } step ? $": {step}" : ""),
        _ => Step(jobEvent.Progress),
    };

    /// <summary>One plain progress line, e.g. <c>21:50:02  running    40%  Step 2 of 5 done (step-2)</c>.</summary>
    public static string Line(JobEvent jobEvent)
    {
        var percent = jobEvent.Progress?.Percent ?? 0;
        var time = jobEvent.OccurredAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{time}  {Status(jobEvent.Status),-9} {percent,3}%  {Detail(jobEvent)}".TrimEnd();
    }

    public static string Duration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => $"{duration.TotalMilliseconds:0} ms",
        < 120 => $"{duration.TotalSeconds:0.0} s",
        _ => $"{duration.TotalMinutes:0.0} min",
    };
}
