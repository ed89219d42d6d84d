using System.CommandLine;
using AsyncJobs.Cli.Connection;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs watch ID</c>: follow a job live until it ends; the exit code tells how it ended.</summary>
public static class WatchCommand
{
    public static Command Create(GlobalOptions options)
    {
        var id = JobArguments.JobId();
        var command = new Command("watch", "Follow a job live (progress and step message) until it ends; exit 0 succeeded, 1 failed, 2 cancelled") { id };
        command.SetRunner(options, (context, cancellationToken) =>
            new JobFollower(context.Client, context.Output).FollowAsync(context.Get(id), fromBeginning: false, cancellationToken));
        return command;
    }
}
