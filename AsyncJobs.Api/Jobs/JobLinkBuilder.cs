namespace AsyncJobs.Api.Jobs;

/// <summary>
/// Builds a job's links. The event stream lives on the notifier, found the way Aspire's service discovery
/// publishes it (<c>services__notifier__http__0</c>); without one, the link is relative to the API.
/// </summary>
public sealed class JobLinkBuilder(IConfiguration configuration)
{
    private readonly string notifierBase = (configuration["services:notifier:https:0"] ?? configuration["services:notifier:http:0"] ?? string.Empty).TrimEnd('/');

    /// <summary>The tenant event stream on the notifier.</summary>
    public string TenantEvents => $"{notifierBase}/events";

    /// <summary>The notifier's origin (scheme, host, port); null when the notifier was not discovered.</summary>
    public string? NotifierOrigin => Uri.TryCreate(notifierBase, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;

    public JobLinks For(Guid id) => new(
        Self: $"/jobs/{id}",
        Events: $"{notifierBase}/jobs/{id}/events",
        Cancel: $"/jobs/{id}/cancel",
        Result: $"/jobs/{id}/result");
}
