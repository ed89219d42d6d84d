namespace AsyncJobs.Client.Webhooks;

/// <summary>One HTTP attempt of a delivery.</summary>
/// <param name="Attempt">The attempt number, from 1.</param>
/// <param name="StatusCode">The receiver's status, or null when none came.</param>
/// <param name="LatencyMs">How long the attempt took.</param>
/// <param name="ResponseExcerpt">The start of the receiver's answer.</param>
/// <param name="Error">Why the attempt failed without an answer.</param>
/// <param name="At">When the attempt was made.</param>
public sealed record WebhookAttempt(int Attempt, int? StatusCode, int LatencyMs, string? ResponseExcerpt, string? Error, DateTimeOffset At);
