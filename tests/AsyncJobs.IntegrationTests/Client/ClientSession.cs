using AsyncJobs.Client;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// An <see cref="AsyncJobsClient"/> built by hand over its own HTTP clients (disposed with the session), for one tenant.
/// <paramref name="apiHandler"/> lets a test watch or alter what the client sends to the API.
/// </summary>
public sealed class ClientSession : IDisposable
{
    private readonly HttpClient api;
    private readonly HttpClient events;

    public ClientSession(Uri apiUrl, string apiKey, Uri? eventsAddress = null, HttpMessageHandler? apiHandler = null, HttpMessageHandler? eventsHandler = null)
    {
        api = new HttpClient(apiHandler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = apiUrl };
        events = new HttpClient(eventsHandler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        Client = new AsyncJobsClient(api, events, new AsyncJobsClientOptions
        {
            ApiKey = apiKey,
            EventsAddress = eventsAddress,
            StreamReconnectDelay = TimeSpan.FromMilliseconds(200),
            MaxStreamReconnectDelay = TimeSpan.FromSeconds(2),
            // A restarted notifier takes a few seconds to answer again on a busy machine.
            MaxStreamReconnectAttempts = 30,
        });
    }

    public AsyncJobsClient Client { get; }

    public void Dispose()
    {
        api.Dispose();
        events.Dispose();
    }
}
