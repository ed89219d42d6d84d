using System.Net.Http.Headers;
using AsyncJobs.Client;

namespace AsyncJobs.Cli.Connection;

/// <summary>An <see cref="AsyncJobsClient"/> for one command: bounded API calls, event streams without a timeout.</summary>
public sealed class CliClient : IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("asyncjobs-cli", typeof(CliClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly SocketsHttpHandler handler = new() { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
    private readonly HttpClient api;
    private readonly HttpClient events;

    public CliClient(ConnectionSettings settings)
    {
        Settings = settings;
        api = new HttpClient(handler, disposeHandler: false) { BaseAddress = settings.ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
        events = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        api.DefaultRequestHeaders.UserAgent.Add(UserAgent);
        events.DefaultRequestHeaders.UserAgent.Add(UserAgent);
        Client = new AsyncJobsClient(api, events, new AsyncJobsClientOptions
        {
            BaseAddress = settings.ApiUrl,
            EventsAddress = settings.EventsUrl,
            ApiKey = settings.ApiKey,

            // About 7 s of reconnecting (1 + 2 + 4 s) rides out a notifier restart; past that, polling serves a waiting user better.
            MaxStreamReconnectAttempts = 3,
        });
    }

    public ConnectionSettings Settings { get; }

    public AsyncJobsClient Client { get; }

    public void Dispose()
    {
        api.Dispose();
        events.Dispose();
        handler.Dispose();
    }
}
