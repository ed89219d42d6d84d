using System.Security.Claims;
using AsyncJobs.Api.Problems;
using AsyncJobs.Api.RateLimiting;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace AsyncJobs.Api.Jobs;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs").WithTags("Jobs")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        jobs.MapPost("/", SubmitJob)
            .WithName(nameof(SubmitJob))
            .WithSummary("Submit a job")
            .WithDescription("Validates the job and persists it as queued, then answers 202 at once; the worker runs it later. " +
                "With ?dryRun=true, answers 200 with what would happen and persists nothing. " +
                "An Idempotency-Key header makes retries safe: the same key and body return the original job.")
            // Documented rather than declared with Accepts<T>(): routing would then answer a wrong content type with
            // its own bare 415 before the handler can give the problem this API promises.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(SubmitJobRequest), null, cancellationToken);
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = schema,
                            Examples = new Dictionary<string, Microsoft.OpenApi.IOpenApiExample>
                            {
                                ["demo"] = new Microsoft.OpenApi.OpenApiExample { Summary = "A demo job with five steps", Value = OpenApi.OpenApiExamples.For<SubmitJobRequest>() },
                            },
                        },
                    },
                };
            })
            .Produces<JobAcceptedResponse>(StatusCodes.Status202Accepted)
            .Produces<DryRunResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(SubmissionRateLimiting.PolicyName);

        jobs.MapGet("/", ListJobs)
            .WithName(nameof(ListJobs))
            .WithSummary("List jobs, newest first")
            .WithDescription("Filters: state (state=failed lists the dead letters), type, createdAfter. Keyset pagination: pass nextCursor as cursor.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        jobs.MapGet("/{id:guid}", GetJob)
            .WithName(nameof(GetJob))
            .WithSummary("Get a job's status, progress, history and outcome")
            .WithDescription("Answers a weak ETag (If-None-Match → 304) and Retry-After while the job is not finished.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/{id:guid}/result", GetJobResult)
            .WithName(nameof(GetJobResult))
            .WithSummary("Get a succeeded job's result document")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapPost("/{id:guid}/cancel", CancelJob)
            .WithName(nameof(CancelJob))
            .WithSummary("Cancel a job")
            .WithDescription("A queued job is cancelled at once (200); a running job's handler is told to stop (202) and the job ends cancelled; a finished job cannot be cancelled (409).")
            .Produces<JobResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapPost("/{id:guid}/retry", RetryJob)
            .WithName(nameof(RetryJob))
            .WithSummary("Queue a failed (dead-lettered) job again")
            .Produces<JobResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    // Only what a submission needs: the hottest endpoint rents no DbContext and builds no reader.
    public static async Task<Results<Accepted<JobAcceptedResponse>, Ok<DryRunResponse>, ProblemHttpResult>> SubmitJob(
        ClaimsPrincipal caller, HttpContext http, JobSubmission submission, SubmissionOptions options)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotWrite().ToResult();
        }

        var (body, unreadable) = await SubmissionReader.ReadAsync(http.Request, options.MaxBodyBytes, http.RequestAborted);
        if (unreadable is not null)
        {
            return unreadable.ToResult();
        }

        var dryRun = false;
        if (http.Request.Query["dryRun"].ToString() is { Length: > 0 } dryRunText && !bool.TryParse(dryRunText, out dryRun))
        {
            return ApiProblem.Validation("dryRun", "Must be true or false.").ToResult();
        }

        string? idempotencyKey = http.Request.Headers[IdempotencyKeyHeader.Name];
        var outcome = await submission.SubmitAsync(
            caller.GetTenantId(), caller.GetMaxInFlight(), body!, dryRun, idempotencyKey, CorrelationIdMiddleware.Get(http), http.RequestAborted);
        if (outcome.Problem is { } problem)
        {
            if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = options.BacklogRetryAfterSeconds.ToString();
            }

            return problem.ToResult();
        }

        if (outcome.DryRun is { } plan)
        {
            return TypedResults.Ok(plan);
        }

        var accepted = outcome.Accepted!;
        http.Response.Headers.RetryAfter = options.PollAfterSeconds.ToString();
        if (outcome.Replayed)
        {
            http.Response.Headers[IdempotencyKeyHeader.ReplayedName] = "true";
        }

        return TypedResults.Accepted(accepted.Links.Self, accepted);
    }

    public static async Task<Results<Ok<JobListResponse>, ProblemHttpResult>> ListJobs(
        ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotWrite().ToResult();
        }

        var (query, problem) = JobListQuery.Parse(http.Request.Query);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var (items, next) = await services.Reader.ListAsync(caller.GetTenantId(), query!, http.RequestAborted);
        var nextCursor = next?.ToString();
        return TypedResults.Ok(new JobListResponse(items, nextCursor, new JobListLinks(next is null ? null : $"/jobs?{query!.NextPageQuery(next)}")));
    }

    public static async Task<Results<Ok<JobResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetJob(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        var view = caller.MayRead(id) ? await services.Reader.GetAsync(caller.GetTenantId(), id, http.RequestAborted) : null;
        if (view is null)
        {
            return JobNotFound(id).ToResult();
        }

        var etag = new EntityTagHeaderValue($"\"{view.Version}\"", isWeak: true);
        http.Response.Headers.ETag = etag.ToString();
        if (!JobStateMachine.IsTerminal(view.State))
        {
            http.Response.Headers.RetryAfter = services.Options.PollAfterSeconds.ToString();
        }

        if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var requested) &&
            requested.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(view.Job);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetJobResult(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        var job = caller.MayRead(id) ? await services.Reader.FindAsync(caller.GetTenantId(), id, http.RequestAborted) : null;
        if (job is null)
        {
            return JobNotFound(id).ToResult();
        }

        if (job.State != JobState.Succeeded || job.Result is null)
        {
            if (!JobStateMachine.IsTerminal(job.State))
            {
                // Only a job still under way may have a result later.
                http.Response.Headers.RetryAfter = services.Options.PollAfterSeconds.ToString();
            }

            return new ApiProblem(StatusCodes.Status404NotFound, ProblemTypes.ResultNotAvailable, "No result yet",
                $"Job {id} is {job.State.ToName()}; a result exists once it has succeeded.").ToResult();
        }

        return TypedResults.Content(job.Result, "application/json");
    }

    public static async Task<Results<Ok<JobResponse>, Accepted<JobResponse>, ProblemHttpResult>> CancelJob(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotWrite().ToResult();
        }

        var tenantId = caller.GetTenantId();
        // State changes are never cancelled with the request: a statement cancelled after its event insert
        // leaves a gap in the event ids that the relay must wait out.
        // A job may move between the statements below (queued → running → ...); each is guarded, so look again.
        for (var look = 0; look < 3; look++)
        {
            if (await services.Store.CancelBeforeStartAsync(id, tenantId, CancellationToken.None) is { } cancelled)
            {
                var view = await services.Reader.GetAsOfAsync(tenantId, id, cancelled.Sequence, http.RequestAborted);
                services.Metrics.Cancelled(view.Type, running: false);
                return TypedResults.Ok(view);
            }

            if (await services.Store.RequestCancelAsync(id, tenantId, CancellationToken.None) is { } runningAt)
            {
                await services.Cancellation.PublishAsync(id);
                return TypedResults.Accepted($"/jobs/{id}", await services.Reader.GetAsOfAsync(tenantId, id, runningAt, http.RequestAborted));
            }

            var job = await services.Reader.FindAsync(tenantId, id, http.RequestAborted);
            if (job is null)
            {
                return JobNotFound(id).ToResult();
            }

            if (JobStateMachine.IsTerminal(job.State))
            {
                return new ApiProblem(StatusCodes.Status409Conflict, ProblemTypes.JobAlreadyFinished, "The job has already finished",
                    $"Job {id} is {job.State.ToName()}; only queued, retrying or running jobs can be cancelled.").ToResult();
            }
        }

        throw new InvalidOperationException($"Job {id} kept changing state while being cancelled.");
    }

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> RetryJob(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotWrite().ToResult();
        }

        var tenantId = caller.GetTenantId();
        if (await services.Store.RequeueFailedAsync(id, tenantId, CancellationToken.None) is { } requeued)
        {
            return TypedResults.Accepted($"/jobs/{id}", await services.Reader.GetAsOfAsync(tenantId, id, requeued.Sequence, http.RequestAborted));
        }

        var job = await services.Reader.FindAsync(tenantId, id, http.RequestAborted);
        return job is null
            ? JobNotFound(id).ToResult()
            : new ApiProblem(StatusCodes.Status409Conflict, ProblemTypes.JobNotFailed, "Only failed jobs can be retried",
                $"Job {id} is {job.State.ToName()}; retry re-queues dead-lettered (failed) jobs only.").ToResult();
    }

    private static ApiProblem JobNotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.JobNotFound, "Job not found", $"There is no job {id} for this caller.");

    private static ApiProblem TokenCannotWrite() =>
        new(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "A job token only reads its job", "Use an API key to submit, list, cancel or retry jobs.");
}
