using System.CommandLine;
using System.Globalization;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Cli.Jobs;
using AsyncJobs.Cli.Output;
using AsyncJobs.Client.Webhooks;
using Spectre.Console;

namespace AsyncJobs.Cli.Webhooks;

/// <summary>Delivery commands: deliveries (list), delivery (one, with its attempts), redeliver.</summary>
public static class WebhookDeliveryCommands
{
    public static Command List(GlobalOptions options)
    {
        var state = new Option<string?>("--state", "-s") { Description = "Only deliveries in this state (failed: the dead letters)", HelpName = "STATE" };
        state.AcceptOnlyFromAmong("pending", "succeeded", "failed");
        var endpoint = new Option<Guid?>("--endpoint") { Description = "Only deliveries to this endpoint", HelpName = "ID" };
        var job = new Option<Guid?>("--job") { Description = "Only deliveries about this job", HelpName = "ID" };
        var limit = new Option<int?>("--limit", "-n") { Description = "At most this many, 1 to 100 (default 20)", HelpName = "N" };
        var command = new Command("deliveries", "List webhook deliveries, newest first") { state, endpoint, job, limit };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var filter = new WebhookDeliveryFilter { State = context.Get(state), EndpointId = context.Get(endpoint), JobId = context.Get(job), Limit = context.Get(limit) };
            var deliveries = await context.Client.ListWebhookDeliveriesAsync(filter, cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(deliveries);
                return ExitCodes.Success;
            }

            if (deliveries.Count == 0)
            {
                context.Output.Console.Write(JobView.Line("No deliveries.", Color.Grey));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "event", "job", "url", "state", "attempts", "last status", "created");
            foreach (var delivery in deliveries)
            {
                table.AddRow(
                    new Text(delivery.Id.ToString()),
                    new Text(delivery.EventType),
                    new Text(delivery.JobId.ToString()),
                    new Text(delivery.Url),
                    new Text(delivery.State, new Style(StateColour(delivery.State))),
                    new Text(delivery.AttemptCount.ToString(CultureInfo.InvariantCulture)),
                    new Text(delivery.LastStatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                    new Text(JobView.Time(delivery.CreatedAt)));
            }

            context.Output.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Show(GlobalOptions options)
    {
        var id = DeliveryId();
        var command = new Command("delivery", "Show one delivery with its body and every attempt") { id };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var detail = await context.Client.GetWebhookDeliveryAsync(context.Get(id), cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(detail);
                return ExitCodes.Success;
            }

            var console = context.Output.Console;
            var delivery = detail.Delivery;
            console.Write(JobView.Line($"Delivery {delivery.Id}: {delivery.EventType} of job {delivery.JobId} to {delivery.Url}"));
            console.Write(JobView.Line($"{delivery.State}, {delivery.AttemptCount} attempt(s), webhook-id {delivery.MessageId}" +
                (delivery.NextAttemptAt is { } next ? $", next attempt at {JobView.Time(next)}" : ""), StateColour(delivery.State)));
            var attempts = new Table().AddColumns("attempt", "at", "status", "latency", "response or error");
            foreach (var attempt in detail.Attempts)
            {
                attempts.AddRow(
                    new Text(attempt.Attempt.ToString(CultureInfo.InvariantCulture)),
                    new Text(JobView.Time(attempt.At)),
                    new Text(attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                    new Text($"{attempt.LatencyMs} ms"),
                    new Text(attempt.Error ?? attempt.ResponseExcerpt ?? ""));
            }

            console.Write(attempts);
            console.Write(JobView.Line("Body:"));
            console.Write(JobView.Line(CliJson.Pretty(detail.Payload)));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Redeliver(GlobalOptions options)
    {
        var id = DeliveryId();
        var command = new Command("redeliver", "Send a failed (or delivered) delivery again now, with the same webhook-id") { id };
        command.SetRunner(options, async (context, cancellationToken) =>
        {
            var delivery = await context.Client.RedeliverWebhookAsync(context.Get(id), cancellationToken);
            if (context.Output.Json)
            {
                context.Output.WriteJson(delivery);
            }
            else
            {
                context.Output.Console.Write(JobView.Line($"Delivery {delivery.Id} is {delivery.State} again.", StateColour(delivery.State)));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<Guid> DeliveryId() => new("ID") { Description = "The delivery's id" };

    private static Color StateColour(string state) => state switch
    {
        "succeeded" => Color.Green,
        "failed" => Color.Red,
        _ => Color.Grey,
    };
}
