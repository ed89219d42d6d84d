namespace AsyncJobs.Core.Webhooks;

/// <summary>A tenant's webhook receiver: where to deliver which job events, signed with its secret.</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    public required string Url { get; init; }

    public string? Description { get; set; }

    /// <summary>The event types delivered (e.g. <c>job.succeeded</c>); empty for all.</summary>
    public string[] EventTypes { get; set; } = [];

    /// <summary>The signing secret (<c>whsec_</c> + base64). Kept readable: every delivery is signed with it.</summary>
    public required string Secret { get; set; }

    /// <summary>The secret before the last rotation; it still signs until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Why the endpoint was disabled (e.g. failing for longer than allowed), for the tenant to see.</summary>
    public string? DisabledReason { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>When the current run of failed deliveries began; null while deliveries succeed.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
