namespace AsyncJobs.Client.Webhooks;

/// <summary>Which deliveries to list; every filter is optional.</summary>
public sealed record WebhookDeliveryFilter
{
    /// <summary><c>pending</c>, <c>succeeded</c> or <c>failed</c> (the dead letters).</summary>
    public string? State { get; init; }

    /// <summary>Only deliveries to this endpoint.</summary>
    public Guid? EndpointId { get; init; }

    /// <summary>Only deliveries about this job.</summary>
    public Guid? JobId { get; init; }

    /// <summary>At most this many, 1 to 100; the API's default (20) when null.</summary>
    public int? Limit { get; init; }
}
