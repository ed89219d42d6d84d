using System.Text.Json;

namespace AsyncJobs.Api.Jobs;

/// <summary>A job submission.</summary>
/// <param name="Type">The job type, e.g. <c>demo.simulate</c>.</param>
/// <param name="Payload">The job's input; validated against the job type's schema.</param>
/// <param name="Priority"><c>high</c>, <c>normal</c> (default) or <c>low</c>.</param>
/// <param name="TimeoutSeconds">How long one attempt may run before it is cancelled.</param>
/// <param name="MaxAttempts">How many attempts a retryable failure gets, the first included.</param>
/// <param name="CallbackUrl">Where to deliver signed webhooks about this job.</param>
/// <param name="Metadata">Free-form JSON object kept with the job.</param>
public sealed record SubmitJobRequest(
    string? Type,
    JsonElement? Payload,
    string? Priority = null,
    int? TimeoutSeconds = null,
    int? MaxAttempts = null,
    string? CallbackUrl = null,
    JsonElement? Metadata = null);
