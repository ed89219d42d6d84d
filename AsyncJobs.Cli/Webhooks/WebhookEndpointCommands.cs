using System.CommandLine;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Cli.Jobs;
using AsyncJobs.Client.Webhooks;
using Spectre.Console;

namespace AsyncJobs.Cli.Webhooks;

/// <summary>Endpoint commands: list, add, remove, enable, rotate-secret.</summary>
public static class WebhookEndpointCommands
{
    public static Command List(GlobalOptions options)
    {
        var command = new Command("list", "List the tenant's webhook endpoints");
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var endpoints = await context.Client.ListWebhookEndpointsAsync(cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(endpoints);
                return ExitCodes.Success;
            }

            if (endpoints.Count == 0)
            {
                context.Output.Console.Write(JobView.Line("No webhook endpoints.", Color.Grey));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "url", "events", "enabled", "failing since", "description");
            foreach (var endpoint in endpoints)
            {
                table.AddRow(
                    new Text(endpoint.Id.ToString()),
                    new Text(endpoint.Url),
                    new Text(endpoint.EventTypes.Count == 0 ? "all" : string.Join(", ", endpoint.EventTypes)),
                    endpoint.Enabled
                        ? new Text("yes", new Style(Color.Green))
                        : new Text($"no: {endpoint.DisabledReason}", new Style(Color.Red)),
                    new Text(endpoint.FailingSince is { } since ? JobView.Time(since) : ""),
                    new Text(endpoint.Description ?? ""));
            }

            context.Output.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Add(GlobalOptions options)
    {
        var url = new Argument<string>("URL") { Description = "Where to POST signed events (a public http or https URL)" };
        var events = new Option<string[]>("--event", "-e")
        {
            Description = "An event type to deliver, e.g. job.succeeded (repeat for more; all when none)",
            HelpName = "TYPE",
            AllowMultipleArgumentsPerToken = false,
        };
        var description = new Option<string?>("--description", "-d") { Description = "A note about the endpoint", HelpName = "TEXT" };
        var command = new Command("add", "Add a webhook endpoint; prints its signing secret (shown only now)") { url, events, description };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var address = Uri.TryCreate(context.Get(url), UriKind.Absolute, out var parsed)
                ? parsed
                : throw new CliException($"URL must be an absolute http or https URL, not '{context.Get(url)}'.", ExitCodes.Usage);
            var eventTypes = context.Get(events) is { Length: > 0 } types ? types : null;
            var created = await context.Client.CreateWebhookEndpointAsync(address, eventTypes, context.Get(description), cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(created);
                return ExitCodes.Success;
            }

            var console = context.Output.Console;
            console.Write(JobView.Line($"Added webhook endpoint {created.Id} for {created.Url}.", Color.Green));
            console.Write(JobView.Line($"Signing secret (shown only now; give it to the receiver's verifier): {created.Secret}"));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Remove(GlobalOptions options)
    {
        var id = EndpointId();
        var command = new Command("remove", "Delete a webhook endpoint and its deliveries") { id };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            await context.Client.DeleteWebhookEndpointAsync(context.Get(id), cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new { id = context.Get(id), deleted = true });
            }
            else
            {
                context.Output.Console.Write(JobView.Line($"Removed webhook endpoint {context.Get(id)}."));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Enable(GlobalOptions options)
    {
        var id = EndpointId();
        var command = new Command("enable", "Enable an endpoint that was disabled after failing for too long") { id };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var endpoint = await context.Client.EnableWebhookEndpointAsync(context.Get(id), cancellationToken);
            Write(context, endpoint, $"Webhook endpoint {endpoint.Id} is enabled.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command RotateSecret(GlobalOptions options)
    {
        var id = EndpointId();
        var command = new Command("rotate-secret", "Give an endpoint a new signing secret; the old one keeps signing beside it for 24 h") { id };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var rotated = await context.Client.RotateWebhookSecretAsync(context.Get(id), cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(rotated);
            }
            else
            {
                context.Output.Console.Write(JobView.Line($"New signing secret for {context.Get(id)}: {rotated.Secret}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<Guid> EndpointId() => new("ID") { Description = "The endpoint's id" };

    private static void Write(CommandContext context, WebhookEndpoint endpoint, string message)
    {
        if (context.Output.Json)
        {
            context.Output.WriteJson(endpoint);
        }
        else
        {
            context.Output.Console.Write(JobView.Line(message, Color.Green));
        }
    }
}
