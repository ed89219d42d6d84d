namespace AsyncJobs.Core.Webhooks;

/// <summary>One HTTP attempt of a delivery: what the receiver answered and how long it took.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; init; }

    public Guid DeliveryId { get; init; }

    public int Attempt { get; init; }

    public int? StatusCode { get; init; }

    public int LatencyMs { get; init; }

    /// <summary>The start of the response body (truncated), or the transport error.</summary>
    public string? ResponseExcerpt { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset At { get; init; }
}
