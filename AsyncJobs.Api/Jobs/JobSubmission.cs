using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Tenants;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Api.Jobs;

/// <summary>
/// Validates a submission against its job type and writes it as a queued job: the row, its first event and
/// the outbox wake-up commit in one statement, together with the Idempotency-Key record when there is one.
/// </summary>
public sealed partial class JobSubmission(
    JobHandlerRegistry handlers,
    JobStore store,
    AcceptGroupCommit groupCommit,
    AdmissionControl admission,
    JobLinkBuilder links,
    SubmissionOptions options,
    TimeProvider time,
    JobMetrics metrics,
    ILogger<JobSubmission> logger)
{
    private readonly CallbackAddressPolicy callbackPolicy = new(options.AllowLoopbackCallbacks, options.AllowPrivateNetworkCallbacks);

    public sealed record Outcome(JobAcceptedResponse? Accepted = null, bool Replayed = false, DryRunResponse? DryRun = null, ApiProblem? Problem = null);

    public async Task<Outcome> SubmitAsync(
        Guid tenantId, int? maxInFlight, SubmissionReader.Body body, bool dryRun, string? idempotencyKey, string? correlationId, CancellationToken cancellationToken)
    {
        var request = body.Request;
        if (Validate(request, out var priority) is { } invalid)
        {
            return new Outcome(Problem: invalid);
        }

        if (idempotencyKey is not null && !IdempotencyKeyHeader.IsValid(idempotencyKey))
        {
            return new Outcome(Problem: ApiProblem.Invalid(
                new Dictionary<string, string[]> { [IdempotencyKeyHeader.Name] = [$"Use 1 to {IdempotencyKeyHeader.MaxLength} printable ASCII characters without spaces."] },
                ProblemTypes.InvalidIdempotencyKey,
                "Invalid Idempotency-Key"));
        }

        var maxAttempts = request.MaxAttempts ?? options.DefaultMaxAttempts;
        var timeoutSeconds = request.TimeoutSeconds ?? options.DefaultTimeoutSeconds;
        if (dryRun)
        {
            handlers.TryGet(request.Type!, out var handler);
            return new Outcome(DryRun: new DryRunResponse(true, request.Type!, priority.ToName(), timeoutSeconds, maxAttempts, handler.Plan(request.Payload!.Value)));
        }

        // A retry of an accepted submission is answered before admission control: the job it asks about may be
        // the very one that fills the bound.
        var requestHash = SHA256.HashData(body.Bytes);
        if (idempotencyKey is not null && await ReplayIfKnownAsync(tenantId, idempotencyKey, requestHash, cancellationToken) is { } known)
        {
            return known;
        }

        if (await admission.RefuseAsync(tenantId, maxInFlight, cancellationToken) is { } refused)
        {
            return new Outcome(Problem: refused);
        }

        var jobId = Guid.CreateVersion7();
        var jobToken = JobToken.Issue(jobId);
        var job = new NewJob(
            Id: jobId,
            TenantId: tenantId,
            Type: request.Type!,
            Payload: request.Payload!.Value.GetRawText(),
            Priority: priority,
            MaxAttempts: maxAttempts,
            TimeoutSeconds: timeoutSeconds,
            CorrelationId: correlationId,
            TraceParent: Activity.Current?.Id,
            CallbackUrl: request.CallbackUrl,
            Metadata: request.Metadata?.GetRawText(),
            JobTokenHash: SecretHasher.Hash(jobToken),
            CreatedAt: NowToTheMicrosecond());
        var accepted = new JobAcceptedResponse(job.Id, JobStateNames.Queued, job.CreatedAt, jobToken, links.For(job.Id));
        var claim = idempotencyKey is null
            ? null
            : new IdempotencyClaim(idempotencyKey, requestHash, JsonSerializer.Serialize(accepted, JobsJson.Options), job.CreatedAt + options.IdempotencyRetention);

        // Subscribers and webhooks learn of the queued event from the event relay, not from here.
        if (!await groupCommit.WriteAsync(job, claim, cancellationToken))
        {
            // A concurrent request with the same key committed first.
            return await ReplayIfKnownAsync(tenantId, idempotencyKey!, requestHash, cancellationToken)
                ?? throw new InvalidOperationException($"Idempotency-Key '{idempotencyKey}' was held but is gone (expired during the request); the client may retry.");
        }

        metrics.Accepted(job.Type, job.Priority.ToName());
        // The request span is the root of the job's trace: its id finds the trace in any trace viewer.
        Activity.Current?.SetTag(JobTelemetry.JobIdTag, job.Id).SetTag(JobTelemetry.JobTypeTag, job.Type);
        LogAccepted(job.Id, job.Type, tenantId, correlationId);
        return new Outcome(accepted);
    }

    // PostgreSQL keeps microseconds: the 202's createdAt must equal what GET /jobs/{id} later shows.
    private DateTimeOffset NowToTheMicrosecond()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % 10));
    }

    /// <summary>The answer for a key the tenant already used: the original job, or 422 for a different request; null for a new key.</summary>
    private async Task<Outcome?> ReplayIfKnownAsync(Guid tenantId, string idempotencyKey, byte[] requestHash, CancellationToken cancellationToken)
    {
        if (await store.FindIdempotencyRecordAsync(tenantId, idempotencyKey, cancellationToken) is not { } record)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(record.RequestHash, requestHash))
        {
            return new Outcome(Problem: new ApiProblem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency-Key reused with a different request",
                "This Idempotency-Key was first used with a different body (compared byte for byte); use a new key for a new job."));
        }

        var original = JsonSerializer.Deserialize<JobAcceptedResponse>(record.Response, JobsJson.Options)!;
        LogReplayed(original.Id, idempotencyKey);
        return new Outcome(original, Replayed: true);
    }

    private ApiProblem? Validate(SubmitJobRequest request, out JobPriority priority)
    {
        priority = JobPriority.Normal;
        var errors = new Dictionary<string, string[]>();

        if (string.IsNullOrWhiteSpace(request.Type))
        {
            errors["type"] = ["The job type is required."];
        }
        else if (!handlers.TryGet(request.Type, out var handler))
        {
            return ApiProblem.Invalid(
                new Dictionary<string, string[]> { ["type"] = [$"'{request.Type}' is not a job type. Known types: {string.Join(", ", handlers.Types.Order())}."] },
                ProblemTypes.UnknownJobType,
                "Unknown job type");
        }
        else if (request.Payload is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } payload)
        {
            errors["payload"] = ["The payload is required."];
        }
        else if (handler.Validate(payload) is { IsValid: false } validation)
        {
            return ApiProblem.Invalid(new Dictionary<string, string[]>(validation.Errors), ProblemTypes.InvalidPayload, $"The payload is not valid for {request.Type}");
        }

        if (request.Priority is not null && !JobPriorityNames.TryParse(request.Priority, out priority))
        {
            errors["priority"] = ["The priority must be one of high, normal, low."];
        }

        if (request.TimeoutSeconds is { } timeout && (timeout < 1 || timeout > options.MaxTimeoutSeconds))
        {
            errors["timeoutSeconds"] = [$"The timeout must be between 1 and {options.MaxTimeoutSeconds} seconds."];
        }

        if (request.MaxAttempts is { } attempts && (attempts < 1 || attempts > options.MaxAttempts))
        {
            errors["maxAttempts"] = [$"The number of attempts must be between 1 and {options.MaxAttempts}."];
        }

        if (request.Metadata is { ValueKind: not JsonValueKind.Object })
        {
            errors["metadata"] = ["The metadata must be a JSON object."];
        }

        if (request.CallbackUrl is not null)
        {
            if (!Uri.TryCreate(request.CallbackUrl, UriKind.Absolute, out var callback) || (callback.Scheme != Uri.UriSchemeHttps && callback.Scheme != Uri.UriSchemeHttp))
            {
                errors["callbackUrl"] = ["The callback URL must be an absolute http or https URL."];
            }
            else if (errors.Count == 0 && !callbackPolicy.IsAllowed(callback))
            {
                return ApiProblem.Invalid(
                    new Dictionary<string, string[]> { ["callbackUrl"] = ["Callbacks to loopback, private and link-local addresses are not allowed."] },
                    ProblemTypes.CallbackUrlNotAllowed,
                    "Callback URL not allowed");
            }
        }

        return errors.Count == 0 ? null : ApiProblem.Invalid(errors, title: "The submission is not valid");
    }

    // Debug: at thousands of accepts a second, a line each is a measurable share of the API's CPU.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepted job {JobId} of type {JobType} for tenant {TenantId} (correlation {CorrelationId})")]
    private partial void LogAccepted(Guid jobId, string jobType, Guid tenantId, string? correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed job {JobId} for Idempotency-Key {IdempotencyKey}")]
    private partial void LogReplayed(Guid jobId, string idempotencyKey);
}
