namespace AsyncJobs.Notifier.Events;

/// <summary>
/// The live console is served by the API, so its EventSource reaches the notifier from another origin. Streams are
/// authorized by a token in the URL or a header, never a cookie, so any origin may read them without credentials.
/// </summary>
public static class EventStreamCors
{
    public const string PolicyName = "EventStreams";

    public static IServiceCollection AddEventStreamCors(this IServiceCollection services) =>
        services.AddCors(options => options.AddPolicy(PolicyName, policy => policy
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Get)
            .WithHeaders("Last-Event-ID", "Authorization", "X-Api-Key", "Accept", "Cache-Control")));
}
