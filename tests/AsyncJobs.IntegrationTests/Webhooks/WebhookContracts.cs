using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Webhooks;

public sealed record CreatedEndpoint(Guid Id, string Url, string[] EventTypes, string? Description, bool Enabled, string? DisabledReason, string Secret, DateTimeOffset CreatedAt);

public sealed record EndpointView(Guid Id, string Url, string[] EventTypes, string? Description, bool Enabled, string? DisabledReason, DateTimeOffset? FailingSince, DateTimeOffset CreatedAt);

public sealed record RotatedSecret(string Secret, DateTimeOffset? PreviousSecretExpiresAt);

public sealed record CallbackSecret(string Secret);

public sealed record DeliveryView(
    Guid Id, Guid? EndpointId, string Url, Guid JobId, long EventId, string EventType, string MessageId, string State, int AttemptCount,
    DateTimeOffset? NextAttemptAt, int? LastStatusCode, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

public sealed record AttemptView(int Attempt, int? StatusCode, int LatencyMs, string? ResponseExcerpt, string? Error, DateTimeOffset At);

public sealed record DeliveryDetail(DeliveryView Delivery, JsonElement Payload, AttemptView[] Attempts);

public sealed record DeliveryList(DeliveryView[] Items);

public sealed record SubmittedJob(Guid Id, string JobToken);
