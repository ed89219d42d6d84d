using System.CommandLine;

namespace AsyncJobs.Cli.Connection;

/// <summary>The options every command takes: where the API is, the API key, and the output format.</summary>
public sealed class GlobalOptions
{
    public const string ApiUrlVariable = "ASYNCJOBS_API_URL";
    public const string ApiKeyVariable = "ASYNCJOBS_API_KEY";
    public const string EventsUrlVariable = "ASYNCJOBS_EVENTS_URL";

    // Environment values are read when a command runs, not as option defaults: help would otherwise print the API key.
    public Option<string?> ApiUrl { get; } = new("--api-url")
    {
        Description = $"The API's base address, e.g. http://127.0.0.1:5080 [env: {ApiUrlVariable}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The tenant's API key (ajk_...); prefer the environment variable, which other users cannot see [env: {ApiKeyVariable}]",
        HelpName = "KEY",
        Recursive = true,
    };

    public Option<string?> EventsUrl { get; } = new("--events-url")
    {
        Description = $"The notifier's base address for event streams; by default each job's own events link [env: {EventsUrlVariable}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output only: one JSON document on stdout (NDJSON events for watch), no colours",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(ApiUrl);
        root.Options.Add(ApiKey);
        root.Options.Add(EventsUrl);
        root.Options.Add(Json);
    }
}
