namespace AsyncJobs.Notifier.Webhooks;

/// <summary>What one attempt came to: the receiver's status (none when the request never got an answer), latency, and what to keep of it.</summary>
public sealed record WebhookAttemptOutcome(int? StatusCode, int LatencyMs, string? ResponseExcerpt, string? Error)
{
    public const int MaxTextLength = 1024;

    public bool Succeeded => StatusCode is >= 200 and < 300;

    public static WebhookAttemptOutcome NotSent(string error) => new(null, 0, null, Truncate(error));

    /// <summary>At most <see cref="MaxTextLength"/> characters, and no NUL (PostgreSQL text cannot hold one; receivers may send any bytes).</summary>
    public static string? Truncate(string? text) =>
        (text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text)?.Replace('\0', '\uFFFD');

    /// <summary>For logs and the disabled reason: "HTTP 500" or the error.</summary>
    public string Describe() => StatusCode is { } status ? $"HTTP {status}" : Error ?? "no answer";
}
