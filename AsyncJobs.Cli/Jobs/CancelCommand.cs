using System.CommandLine;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Client.Jobs;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs cancel ID [--wait]</c>: cancel a waiting job at once, or ask a running one to stop.</summary>
public static class CancelCommand
{
    public static Command Create(GlobalOptions options)
    {
        var id = JobArguments.JobId();
        var wait = JobArguments.Wait("Wait until a running job has stopped");
        var command = new Command("cancel", "Cancel a job: a waiting one at once, a running one is asked to stop") { id, wait };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var job = await context.Client.CancelAsync(context.Get(id), cancellationToken);
            if (context.Get(wait) && !job.IsTerminal)
            {
                job = await context.Client.WaitAsync(job.Id, cancellationToken);
            }

            if (context.Output.Json)
            {
                context.Output.WriteJson(job);
            }
            else if (job.Status == JobStatus.Cancelled)
            {
                context.Output.Console.Write(JobView.Line($"Job {job.Id} is cancelled.", JobText.ColourOf(job.Status)));
            }
            else
            {
                context.Output.Console.Write(JobView.Line(
                    $"Job {job.Id} is {JobText.Status(job.Status)}; its handler was told to stop (asyncjobs watch {job.Id} to see it end).",
                    JobText.ColourOf(job.Status)));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
