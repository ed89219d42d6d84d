using System.CommandLine;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Client.Jobs;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs list [--state S] [--type T] [--limit N]</c>: the tenant's jobs, newest first.</summary>
public static class ListCommand
{
    public static Command Create(GlobalOptions options)
    {
        var state = new Option<string?>("--state", "-s") { Description = "Only jobs in this state (failed: the dead letters)", HelpName = "STATE" };
        state.AcceptOnlyFromAmong(JobArguments.States);
        var type = JobArguments.Type("Only jobs of this type");
        var limit = JobArguments.Limit(20);
        var command = new Command("list", "List the tenant's jobs, newest first") { state, type, limit };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var filter = new JobListFilter
            {
                State = context.Get(state) is { } name ? Enum.Parse<JobStatus>(name, ignoreCase: true) : null,
                Type = context.Get(type),
                PageSize = Math.Min(context.Get(limit), 100),
            };
            var jobs = await context.Client.ListAsync(filter, cancellationToken).Take(context.Get(limit)).ToListAsync(cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(jobs);
            }
            else
            {
                JobView.WriteTable(context.Output.Console, jobs);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
