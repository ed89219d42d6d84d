using System.Diagnostics;
using System.Text.Json;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Tenants;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Api.Jobs;

/// <summary>Validates a submission against its job type and writes it as a queued job (row + first event + outbox, one commit).</summary>
public sealed partial class JobSubmission(
    JobHandlerRegistry handlers,
    JobStore store,
    JobEventPublisher publisher,
    IOptions<SubmissionOptions> options,
    ILogger<JobSubmission> logger)
{
    public sealed record Accepted(Guid Id, string JobToken, DateTimeOffset CreatedAt);

    public sealed record Rejected(string ProblemType, string Title, IDictionary<string, string[]> Errors);

    public async Task<(Accepted? Job, Rejected? Problem)> SubmitAsync(
        Guid tenantId, SubmitJobRequest request, string? correlationId, CancellationToken cancellationToken)
    {
        var rejected = Validate(request, out var priority);
        if (rejected is not null)
        {
            return (null, rejected);
        }

        var settings = options.Value;
        var jobToken = SecretHasher.NewSecret(CallerAuthenticationHandler.JobTokenPrefix);
        var job = new NewJob(
            Id: Guid.CreateVersion7(),
            TenantId: tenantId,
            Type: request.Type!,
            Payload: request.Payload!.Value.GetRawText(),
            Priority: priority,
            MaxAttempts: request.MaxAttempts ?? settings.DefaultMaxAttempts,
            TimeoutSeconds: request.TimeoutSeconds ?? settings.DefaultTimeoutSeconds,
            CorrelationId: correlationId,
            TraceParent: Activity.Current?.Id,
            CallbackUrl: request.CallbackUrl,
            Metadata: request.Metadata?.GetRawText(),
            JobTokenHash: SecretHasher.Hash(jobToken));

        var queued = await store.InsertAsync(job, cancellationToken);
        LogAccepted(job.Id, job.Type, tenantId);
        await publisher.PublishAsync(queued);
        using var snapshot = JsonDocument.Parse(queued.Data);
        return (new Accepted(job.Id, jobToken, snapshot.RootElement.GetProperty("occurredAt").GetDateTimeOffset()), null);
    }

    private Rejected? Validate(SubmitJobRequest request, out JobPriority priority)
    {
        priority = JobPriority.Normal;
        var settings = options.Value;
        var errors = new Dictionary<string, string[]>();

        if (string.IsNullOrWhiteSpace(request.Type))
        {
            errors["type"] = ["The job type is required."];
        }
        else if (!handlers.TryGet(request.Type, out var handler))
        {
            return new Rejected(ProblemTypes.UnknownJobType, "Unknown job type", new Dictionary<string, string[]>
            {
                ["type"] = [$"'{request.Type}' is not a job type. Known types: {string.Join(", ", handlers.Types.Order())}."],
            });
        }
        else if (request.Payload is not { } payload || payload.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            errors["payload"] = ["The payload is required."];
        }
        else if (handler.Validate(payload) is { IsValid: false } validation)
        {
            return new Rejected(ProblemTypes.InvalidPayload, "The payload is not valid for this job type", new Dictionary<string, string[]>(validation.Errors));
        }

        if (request.Priority is not null && !JobPriorityNames.TryParse(request.Priority, out priority))
        {
            errors["priority"] = ["The priority must be one of high, normal, low."];
        }

        if (request.TimeoutSeconds is { } timeout && (timeout < 1 || timeout > settings.MaxTimeoutSeconds))
        {
            errors["timeoutSeconds"] = [$"The timeout must be between 1 and {settings.MaxTimeoutSeconds} seconds."];
        }

        if (request.MaxAttempts is { } attempts && (attempts < 1 || attempts > settings.MaxAttempts))
        {
            errors["maxAttempts"] = [$"The number of attempts must be between 1 and {settings.MaxAttempts}."];
        }

        if (request.CallbackUrl is not null &&
            !(Uri.TryCreate(request.CallbackUrl, UriKind.Absolute, out var callback) && (callback.Scheme == Uri.UriSchemeHttps || callback.Scheme == Uri.UriSchemeHttp)))
        {
            errors["callbackUrl"] = ["The callback URL must be an absolute http or https URL."];
        }

        if (request.Metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            errors["metadata"] = ["The metadata must be a JSON object."];
        }

        return errors.Count == 0 ? null : new Rejected(ProblemTypes.ValidationFailed, "The submission is not valid", errors);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted job {JobId} of type {JobType} for tenant {TenantId}")]
    private partial void LogAccepted(Guid jobId, string jobType, Guid tenantId);
}
