using System.CommandLine;
using System.CommandLine.Invocation;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Cli.Jobs;
using AsyncJobs.Cli.Webhooks;

namespace AsyncJobs.Cli;

/// <summary>The <c>asyncjobs</c> command tree.</summary>
public static class CliApplication
{
    public static RootCommand CreateRootCommand()
    {
        var options = new GlobalOptions();
        var root = new RootCommand("asyncjobs: submit AsyncJobs jobs, follow them live, and manage them and their webhooks.");
        options.AddTo(root);
        root.Subcommands.Add(SubmitCommand.Create(options));
        root.Subcommands.Add(WatchCommand.Create(options));
        root.Subcommands.Add(GetCommand.Create(options));
        root.Subcommands.Add(ListCommand.Create(options));
        root.Subcommands.Add(CancelCommand.Create(options));
        root.Subcommands.Add(RetryCommand.Create(options));
        root.Subcommands.Add(DeadLettersCommand.Create(options));
        root.Subcommands.Add(WebhooksCommand.Create(options));
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // No response files: "@file" is this tool's own syntax for a JSON payload read from a file.
        var parseResult = CreateRootCommand().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Action is ParseErrorAction parseError)
        {
            // The errors alone say more than a page of help after them; a bare "asyncjobs" still gets the help.
            // EX_USAGE rather than the library's 1, which means "job failed" here.
            parseError.ShowHelp = args.Length == 0;
            await parseResult.InvokeAsync();
            if (args.Length > 0)
            {
                await Console.Error.WriteLineAsync("Run 'asyncjobs --help' or 'asyncjobs COMMAND --help' for usage.");
            }

            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync();
    }
}
