namespace AsyncJobs.Api.Webhooks;

/// <summary>One HTTP attempt of a delivery: the receiver's status (null when none came), latency, the start of its answer, or the error.</summary>
public sealed record WebhookAttemptResponse(int Attempt, int? StatusCode, int LatencyMs, string? ResponseExcerpt, string? Error, DateTimeOffset At);
