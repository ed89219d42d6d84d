using System.CommandLine;
using System.Globalization;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Client.Jobs;
using Spectre.Console;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs dead-letters</c>: the failed jobs with their last error, newest first.</summary>
public static class DeadLettersCommand
{
    public static Command Create(GlobalOptions options)
    {
        var type = JobArguments.Type("Only dead letters of this type");
        var limit = JobArguments.Limit(20);
        var command = new Command("dead-letters", "List failed (dead-lettered) jobs with their last error; replay one with retry ID") { type, limit };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var filter = new JobListFilter { State = JobStatus.Failed, Type = context.Get(type), PageSize = Math.Min(context.Get(limit), 100) };
            var summaries = await context.Client.ListAsync(filter, cancellationToken).Take(context.Get(limit)).ToListAsync(cancellationToken);

            // A list item has no error; each dead letter's own document has it (one call each, bounded by --limit).
            var jobs = new List<Job>(summaries.Count);
            foreach (var summary in summaries)
            {
                jobs.Add(await context.Client.GetAsync(summary.Id, cancellationToken));
            }

            if (context.Output.Json)
            {
                context.Output.WriteJson(jobs);
                return ExitCodes.Success;
            }

            if (jobs.Count == 0)
            {
                context.Output.Console.Write(JobView.Line("No dead letters.", Color.Green));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "type", "attempts", "failed at", "error");
            foreach (var job in jobs)
            {
                table.AddRow(
                    new Text(job.Id.ToString()),
                    new Text(job.Type),
                    new Text(job.Attempt.ToString(CultureInfo.InvariantCulture)),
                    new Text(JobView.Time(job.FinishedAt)),
                    new Text(job.Error is { } error ? $"{error.Type}: {error.Message}" : "", new Style(Color.Red)));
            }

            context.Output.Console.Write(table);
            context.Output.Console.Write(JobView.Line("Replay one with: asyncjobs retry ID", Color.Grey));
            return ExitCodes.Success;
        });
        return command;
    }
}
