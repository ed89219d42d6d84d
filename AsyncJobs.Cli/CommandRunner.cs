using System.CommandLine;
using System.Text.Json;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Cli.Output;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Problems;
using Spectre.Console;

namespace AsyncJobs.Cli;

/// <summary>Runs a command's body and turns every way it can fail into a clear message on stderr and an exit code.</summary>
public static class CommandRunner
{
    public static void SetRunner(this Command command, GlobalOptions options, Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, options, body, cancellationToken));

    private static async Task<int> RunAsync(
        ParseResult parseResult, GlobalOptions options, Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var output = CliOutput.Create(parseResult.GetValue(options.Json));
        using var context = new CommandContext(parseResult, options, output);
        try
        {
            return await body(context, cancellationToken);
        }
        catch (CliException exception)
        {
            Fail(output, exception.Message);
            return exception.ExitCode;
        }
        catch (AsyncJobsProblemException exception)
        {
            ProblemView.Write(output, exception);
            return ProblemView.ExitCodeOf(exception.Problem);
        }
        catch (AsyncJobsStreamException exception)
        {
            Fail(output, $"The notifier stayed unreachable: {exception.Message}");
            return ExitCodes.Unavailable;
        }
        catch (HttpRequestException exception)
        {
            Fail(output, $"Cannot reach the API at {context.ApiUrl}: {exception.Message}");
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Fail(output, "Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (TaskCanceledException)
        {
            // HttpClient's own timeout: the API accepted the connection but did not answer in time.
            Fail(output, $"The API at {context.ApiUrl} did not answer in time.");
            return ExitCodes.Unavailable;
        }
        catch (JsonException exception)
        {
            Fail(output, $"The API answered something the CLI did not understand: {exception.Message}");
            return ExitCodes.Internal;
        }
    }

    private static void Fail(CliOutput output, string message)
    {
        if (output.Json)
        {
            Console.Error.WriteLine(JsonSerializer.Serialize(new { error = message }, CliJson.Line));
            return;
        }

        output.Error.Write(new Text(message, new Style(Color.Red)));
        output.Error.WriteLine();
    }
}
