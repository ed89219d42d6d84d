using System.CommandLine;
using System.Text.Json;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Client.Jobs;

namespace AsyncJobs.Cli.Jobs;

/// <summary><c>asyncjobs submit TYPE --payload JSON|@file [--wait]</c>: accept a job, and optionally follow it to its end.</summary>
public static class SubmitCommand
{
    public static Command Create(GlobalOptions options)
    {
        var type = new Argument<string>("TYPE") { Description = "The job type, e.g. demo.simulate" };
        var payload = new Option<string?>("--payload", "-p")
        {
            Description = "The job's input: inline JSON, @file, or @- for stdin (default {})",
            HelpName = "JSON|@file",
        };
        var priority = new Option<string?>("--priority") { Description = "The queue to wait in (default normal)", HelpName = "high|normal|low" };
        priority.AcceptOnlyFromAmong("high", "normal", "low");
        var timeout = new Option<int?>("--timeout-seconds") { Description = "How long one attempt may run (default: the job type's)", HelpName = "SECONDS" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts a retryable failure gets, the first included", HelpName = "N" };
        var idempotencyKey = new Option<string?>("--idempotency-key")
        {
            Description = "Send this Idempotency-Key: the same key and body again answers the original job instead of a second one (default: a fresh key)",
            HelpName = "KEY",
        };
        var callbackUrl = new Option<string?>("--callback-url") { Description = "Where to deliver signed webhooks about this job", HelpName = "URL" };
        var metadata = new Option<string?>("--metadata") { Description = "A JSON object kept with the job: inline, @file or @-", HelpName = "JSON|@file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and plan only: nothing is submitted" };
        var wait = JobArguments.Wait("Follow the job with a live progress bar until it ends; the exit code tells how it ended");

        var command = new Command("submit", "Submit a job")
        {
            type, payload, priority, timeout, maxAttempts, idempotencyKey, callbackUrl, metadata, dryRun, wait,
        };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var jobType = context.Get(type);
            var input = context.Get(payload) is { } payloadText ? JsonInput.Read(payloadText, "--payload") : EmptyObject();
            var submitOptions = new SubmitOptions
            {
                Priority = context.Get(priority) switch
                {
                    "high" => JobPriority.High,
                    "low" => JobPriority.Low,
                    "normal" => JobPriority.Normal,
                    _ => null,
                },
                TimeoutSeconds = context.Get(timeout),
                MaxAttempts = context.Get(maxAttempts),
                IdempotencyKey = context.Get(idempotencyKey),
                CallbackUrl = context.Get(callbackUrl) is { } url ? CallbackUrl(url) : null,
                Metadata = context.Get(metadata) is { } metadataText ? JsonInput.Read(metadataText, "--metadata") : null,
            };

            if (context.Get(dryRun))
            {
                var plan = await context.Client.PlanAsync(jobType, input, submitOptions, cancellationToken);
                if (context.Output.Json)
                {
                    context.Output.WriteJson(plan);
                }
                else
                {
                    PlanView.Write(context.Output.Console, plan);
                }

                return ExitCodes.Success;
            }

            var handle = await context.Client.SubmitAsync(jobType, input, submitOptions, cancellationToken);
            if (!context.Get(wait))
            {
                if (context.Output.Json)
                {
                    context.Output.WriteJson(handle);
                }
                else
                {
                    JobView.WriteSubmitted(context.Output.Console, jobType, handle);
                }

                return ExitCodes.Success;
            }

            if (!context.Output.Json)
            {
                context.Output.WritePlainLine($"Submitted job {handle.Id} ({jobType}).");
            }

            return await new JobFollower(context.Client, context.Output).FollowAsync(handle.Id, fromBeginning: true, cancellationToken);
        });
        return command;
    }

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static Uri CallbackUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new CliException($"--callback-url must be an absolute URL, not '{value}'.", ExitCodes.Usage);
}
