using System.CommandLine;
using AsyncJobs.Cli.Connection;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs retry ID [--wait]</c>: queue a failed (dead-lettered) job again with a fresh set of attempts.</summary>
public static class RetryCommand
{
    public static Command Create(GlobalOptions options)
    {
        var id = JobArguments.JobId();
        var wait = JobArguments.Wait("Follow the job until it ends again; the exit code tells how it ended");
        var command = new Command("retry", "Queue a failed (dead-lettered) job again with a fresh set of attempts") { id, wait };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var job = await context.Client.RetryAsync(context.Get(id), cancellationToken);
            if (context.Get(wait))
            {
                return await new JobFollower(context.Client, context.Output).FollowAsync(job.Id, fromBeginning: false, cancellationToken);
            }

            if (context.Output.Json)
            {
                context.Output.WriteJson(job);
            }
            else
            {
                context.Output.Console.Write(JobView.Line($"Job {job.Id} is {JobText.Status(job.Status)} again (attempts 1 to {job.MaxAttempts}).", JobText.ColourOf(job.Status)));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
