using System.Security.Claims;
using System.Text.Json;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using AsyncJobs.Core.Observability;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace AsyncJobs.Api.Jobs;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs").WithTags("Jobs");

        jobs.MapPost("/", SubmitJob)
            .WithName(nameof(SubmitJob))
            .WithSummary("Submit a job")
            .WithDescription("Validates the job and persists it as queued, then answers 202 at once; the worker runs it later.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        jobs.MapGet("/{id:guid}", GetJob)
            .WithName(nameof(GetJob))
            .WithSummary("Get a job's status, progress, history and outcome")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Accepted<JobAcceptedResponse>, ProblemHttpResult>> SubmitJob(
        SubmitJobRequest request, ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        if (!caller.IsTenantKey())
        {
            return Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "A job token cannot submit jobs", "Use an API key to submit jobs.");
        }

        var (job, rejected) = await services.Submission.SubmitAsync(
            caller.GetTenantId(), request, CorrelationIdMiddleware.Get(http), http.RequestAborted);
        if (rejected is not null)
        {
            return TypedResults.Problem(new ValidationProblemDetails(rejected.Errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Type = rejected.ProblemType,
                Title = rejected.Title,
                Detail = string.Join(" ", rejected.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
            });
        }

        var links = services.Links.For(job!.Id);
        http.Response.Headers.RetryAfter = services.Options.PollAfterSeconds.ToString();
        return TypedResults.Accepted(links.Self, new JobAcceptedResponse(job.Id, JobStateNames.Queued, job.CreatedAt, job.JobToken, links));
    }

    public static async Task<Results<Ok<JobResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetJob(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] JobServices services)
    {
        var tenantId = caller.GetTenantId();
        var job = caller.MayRead(id)
            ? await services.Db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenantId, http.RequestAborted)
            : null;
        if (job is null)
        {
            return JobNotFound(id);
        }

        var etag = new EntityTagHeaderValue($"\"{job.LastSequence}\"", isWeak: true);
        http.Response.Headers.ETag = etag.ToString();
        if (!JobStateMachine.IsTerminal(job.State))
        {
            http.Response.Headers.RetryAfter = services.Options.PollAfterSeconds.ToString();
        }

        if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var requested) && requested.Any(t => t.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var history = await services.Db.JobEvents.AsNoTracking()
            .Where(e => e.JobId == id && e.Type != JobEventTypes.Progress)
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.Type, e.Data, e.CreatedAt })
            .ToListAsync(http.RequestAborted);

        return TypedResults.Ok(new JobResponse(
            job.Id,
            job.Type,
            job.State.ToName(),
            job.Priority.ToName(),
            job.Attempt,
            job.MaxAttempts,
            job.TimeoutSeconds,
            new JobProgressResponse(job.ProgressPercent, job.ProgressMessage, job.ProgressStep),
            ParseJson(job.Result),
            ParseJson(job.Error),
            ParseJson(job.Metadata),
            job.CreatedAt,
            job.StartedAt,
            job.FinishedAt,
            history.Select(e => new JobHistoryEntry(e.Type["job.".Length..], AttemptOf(e.Data), e.CreatedAt)).ToList(),
            services.Links.For(job.Id)));
    }

    private static ProblemHttpResult JobNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.JobNotFound, "Job not found", $"There is no job {id} for this caller.");

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });

    private static JsonElement? ParseJson(string? json) => json is null ? null : JsonElement.Parse(json);

    private static int AttemptOf(string eventData) => JsonElement.Parse(eventData).GetProperty("attempt").GetInt32();
}
