using AsyncJobs.Cli.Output;
using AsyncJobs.Client;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Jobs;
using Spectre.Console;

namespace AsyncJobs.Cli.Jobs;

/// <summary>
/// Follows a job to its end (<c>watch</c>, <c>submit --wait</c>) and answers the exit code of its outcome. On a terminal:
/// a live progress bar with the step message. Redirected: one plain line per event. With <c>--json</c>: NDJSON events.
/// The client follows the job's event stream, resuming it after a dropped connection; when the notifier stays
/// unreachable, the client's <c>WaitAsync</c> polls <c>GET /jobs/{id}</c> instead.
/// </summary>
public sealed class JobFollower(AsyncJobsClient client, CliOutput output)
{
    public static int ExitCodeOf(JobStatus status) => status switch
    {
        JobStatus.Succeeded => ExitCodes.Success,
        JobStatus.Failed => ExitCodes.JobFailed,
        JobStatus.Cancelled => ExitCodes.JobCancelled,
        _ => ExitCodes.Internal,
    };

    /// <summary>Follows the job and answers the exit code of its outcome.</summary>
    /// <param name="id">The job.</param>
    /// <param name="fromBeginning">Replay every event from the first (a job just submitted); otherwise start at its current state.</param>
    /// <param name="cancellationToken">Stops following (the job goes on).</param>
    public async Task<int> FollowAsync(Guid id, bool fromBeginning, CancellationToken cancellationToken)
    {
        var after = fromBeginning ? StreamPosition.Beginning : (int?)null;
        Job job;
        try
        {
            job = output.Json ? await FollowAsJsonAsync(id, after, cancellationToken)
                : output.Interactive ? await FollowLiveAsync(id, after, cancellationToken)
                : await FollowAsLinesAsync(id, after, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"Stopped waiting; job {id} goes on (asyncjobs watch {id}).", ExitCodes.Interrupted);
        }

        if (!output.Json)
        {
            JobView.WriteOutcome(output.Console, job);
        }

        return ExitCodeOf(job.Status);
    }

    private async Task<Job> FollowAsJsonAsync(Guid id, int? after, CancellationToken cancellationToken)
    {
        var terminalSeen = false;
        var job = await WaitAsync(
            id,
            after,
            jobEvent =>
            {
                terminalSeen |= jobEvent.IsTerminal;
                output.WriteJsonLine(jobEvent);
            },
            cancellationToken);
        if (!terminalSeen)
        {
            // Finished before the stream opened, or followed by polling: the finished job itself is the last line.
            output.WriteJsonLine(job);
        }

        return job;
    }

    private Task<Job> FollowAsLinesAsync(Guid id, int? after, CancellationToken cancellationToken)
    {
        output.WritePlainLine($"Following job {id}...");
        string? previous = null;
        return WaitAsync(
            id,
            after,
            jobEvent =>
            {
                var line = JobText.Line(jobEvent);
                if (line != previous)
                {
                    output.WritePlainLine(line);
                    previous = line;
                }
            },
            cancellationToken);
    }

    private Task<Job> FollowLiveAsync(Guid id, int? after, CancellationToken cancellationToken) =>
        output.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new SpinnerColumn(),
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape($"job {id}"), autoStart: true, maxValue: 100);
                task.IsIndeterminate = true;
                var job = await WaitAsync(id, after, jobEvent => Show(task, jobEvent), cancellationToken);
                task.IsIndeterminate = false;
                task.Description = Describe(job.Status, JobText.Step(job.Progress));
                task.Value = job.Status == JobStatus.Succeeded ? 100 : job.Progress.Percent;
                task.StopTask();
                return job;
            });

    /// <summary>
    /// Reports every event from <paramref name="after"/> until the terminal one, then answers the finished job (with its
    /// result and attempts). The client's WaitAsync cannot start from the beginning, so the stream comes first and
    /// WaitAsync only when the notifier stays unreachable: it tries the stream once more, then polls.
    /// </summary>
    private async Task<Job> WaitAsync(Guid id, int? after, Action<JobEvent> report, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var jobEvent in client.StreamAsync(id, after, cancellationToken))
            {
                report(jobEvent);
            }

            return await client.GetAsync(id, cancellationToken);
        }
        catch (AsyncJobsStreamException)
        {
            return await client.WaitAsync(id, new InlineProgress<JobEvent>(report), cancellationToken);
        }
    }

    private static void Show(ProgressTask task, JobEvent jobEvent)
    {
        task.IsIndeterminate = jobEvent.Status is JobStatus.Queued or JobStatus.Retrying;
        task.Value = jobEvent.Progress?.Percent ?? task.Value;
        task.Description = Describe(jobEvent.Status, JobText.Detail(jobEvent));
    }

    private static string Describe(JobStatus status, string detail) =>
        $"[{JobText.ColourOf(status).ToMarkup()}]{JobText.Status(status),-9}[/] {Markup.Escape(detail)}".TrimEnd();
}
