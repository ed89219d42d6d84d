using System.CommandLine;
using AsyncJobs.Cli.Connection;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs get ID</c>: a job's state, progress, result or error, and history.</summary>
public static class GetCommand
{
    public static Command Create(GlobalOptions options)
    {
        var id = JobArguments.JobId();
        var command = new Command("get", "Show a job: state, progress, result or error, and history") { id };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var job = await context.Client.GetAsync(context.Get(id), cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(job);
            }
            else
            {
                JobView.WriteJob(context.Output.Console, job);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
