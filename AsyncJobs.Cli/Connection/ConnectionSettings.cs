using System.CommandLine;

namespace AsyncJobs.Cli.Connection;

/// <summary>Where the API and the notifier are and which key to use: the options first, then the environment.</summary>
public sealed record ConnectionSettings(Uri ApiUrl, string ApiKey, Uri? EventsUrl)
{
    public static ConnectionSettings From(ParseResult parseResult, GlobalOptions options)
    {
        var apiUrl = parseResult.GetValue(options.ApiUrl) ?? Environment.GetEnvironmentVariable(GlobalOptions.ApiUrlVariable);
        var apiKey = parseResult.GetValue(options.ApiKey) ?? Environment.GetEnvironmentVariable(GlobalOptions.ApiKeyVariable);
        var eventsUrl = parseResult.GetValue(options.EventsUrl) ?? Environment.GetEnvironmentVariable(GlobalOptions.EventsUrlVariable);
        if (string.IsNullOrWhiteSpace(apiUrl))
        {
            throw new CliException($"No API address: pass --api-url or set {GlobalOptions.ApiUrlVariable} (./run.sh prints it).", ExitCodes.Usage);
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new CliException($"No API key: set {GlobalOptions.ApiKeyVariable} or pass --api-key (./run.sh prints a development key).", ExitCodes.Usage);
        }

        return new ConnectionSettings(
            BaseAddress(apiUrl, "--api-url"),
            apiKey.Trim(),
            string.IsNullOrWhiteSpace(eventsUrl) ? null : BaseAddress(eventsUrl, "--events-url"));
    }

    private static Uri BaseAddress(string value, string option)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"{option} must be an absolute http or https address, not '{value}'.", ExitCodes.Usage);
        }

        // The client resolves relative paths ("jobs/...") against it: a base without a trailing slash would lose its last segment.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
