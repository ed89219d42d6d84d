namespace AsyncJobs.Core.Webhooks;

/// <summary>One job event to deliver to one URL, retried until delivered or dead-lettered.</summary>
public sealed class WebhookDelivery
{
    /// <summary>Also the Standard Webhooks <c>webhook-id</c> (as <c>msg_</c> + this id), stable across retries.</summary>
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    /// <summary>The tenant endpoint, or null for a job's own <c>callbackUrl</c> (signed with the tenant's callback secret).</summary>
    public Guid? EndpointId { get; init; }

    public required string Url { get; init; }

    public Guid JobId { get; init; }

    public long EventId { get; init; }

    public required string EventType { get; init; }

    /// <summary>The exact body sent (jsonb), so every retry signs and sends the same bytes.</summary>
    public required string Payload { get; init; }

    /// <summary><c>pending</c>, <c>succeeded</c>, or <c>failed</c> (dead-lettered after the last attempt).</summary>
    public required string State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; set; }
}
