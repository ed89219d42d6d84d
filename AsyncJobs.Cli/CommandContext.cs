using System.CommandLine;
using AsyncJobs.Cli.Connection;
using AsyncJobs.Cli.Output;
using AsyncJobs.Client;

namespace AsyncJobs.Cli;

/// <summary>What a running command works with: its parsed arguments, the output, and (on first use) the client.</summary>
public sealed class CommandContext(ParseResult parseResult, GlobalOptions options, CliOutput output) : IDisposable
{
    private CliClient? client;

    public ParseResult ParseResult { get; } = parseResult;

    public CliOutput Output { get; } = output;

    /// <summary>The client, built from <c>--api-url</c>/<c>--api-key</c> or the environment; throws a usage error when either is missing.</summary>
    public AsyncJobsClient Client => (client ??= new CliClient(ConnectionSettings.From(ParseResult, options))).Client;

    /// <summary>The API address in use, for messages (null before the client is built).</summary>
    public Uri? ApiUrl => client?.Settings.ApiUrl;

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public T Get<T>(Argument<T> argument) => ParseResult.GetRequiredValue(argument);

    public void Dispose() => client?.Dispose();
}
