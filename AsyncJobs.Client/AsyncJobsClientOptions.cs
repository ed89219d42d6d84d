namespace AsyncJobs.Client;

/// <summary>
/// Settings of <see cref="AsyncJobsClient"/>. <c>AddAsyncJobsClient</c> binds them from the configuration section
/// <c>AsyncJobs</c> (<c>ApiKey</c>, <c>BaseAddress</c>, <c>EventsAddress</c>, ...) before the code's own settings.
/// </summary>
public sealed class AsyncJobsClientOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "AsyncJobs";

    /// <summary>The API's base address, e.g. <c>https+http://api</c> inside Aspire (resolved by service discovery) or <c>http://127.0.0.1:5080</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The notifier's base address for event streams, e.g. <c>https+http://notifier</c>. When null, streams use the
    /// absolute <c>links.events</c> of the job (one extra <c>GET /jobs/{id}</c> when only the id is known) and the tenant
    /// stream cannot be opened.
    /// </summary>
    public Uri? EventsAddress { get; set; }

    /// <summary>The tenant's API key (<c>ajk_…</c>), sent as <c>Authorization: Bearer</c> on every call.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The first wait before a dropped event stream reconnects, unless the server's <c>retry:</c> hint says otherwise; it doubles (with jitter) on each failure in a row.</summary>
    public TimeSpan StreamReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two reconnection attempts of an event stream.</summary>
    public TimeSpan MaxStreamReconnectDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many reconnections in a row (without an event in between) a stream attempts before it gives up and throws.</summary>
    public int MaxStreamReconnectAttempts { get; set; } = 8;

    /// <summary>The polling interval of <see cref="AsyncJobsClient.WaitAsync(Guid, CancellationToken)"/> when the API sends no <c>Retry-After</c>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a call answered <c>429</c> or <c>503</c> with <c>Retry-After</c> is sent again after waiting; then it throws <see cref="Problems.AsyncJobsThrottledException"/>.</summary>
    public int MaxRetryAfterAttempts { get; set; } = 3;

    /// <summary>The longest <c>Retry-After</c> the client waits out; a longer one throws at once, so the caller decides.</summary>
    public TimeSpan MaxRetryAfterDelay { get; set; } = TimeSpan.FromSeconds(30);
}
