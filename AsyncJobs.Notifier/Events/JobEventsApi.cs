using System.Net.ServerSentEvents;
using System.Security.Claims;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AsyncJobs.Notifier.Events;

public static class JobEventsApi
{
    public static IEndpointRouteBuilder MapJobEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs/{id:guid}/events", StreamJobEvents)
            .WithName(nameof(StreamJobEvents))
            .WithSummary("Stream a job's events (Server-Sent Events); resume with Last-Event-ID")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamJobEvents(
        Guid id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        ClaimsPrincipal caller,
        JobEventHistory history,
        JobEventFeed feed,
        HttpContext http)
    {
        var after = 0;
        if (!string.IsNullOrEmpty(lastEventId) && (!int.TryParse(lastEventId, out after) || after < 0))
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Type = "https://asyncjobs.dev/problems/invalid-last-event-id",
                Title = "Invalid Last-Event-ID",
                Detail = "Last-Event-ID must be the id of an event from this job's stream (a non-negative integer).",
            });
        }

        var tenantId = caller.GetTenantId();
        if (!caller.MayRead(id) || await history.FindAsync(id, tenantId, http.RequestAborted) is null)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Type = "https://asyncjobs.dev/problems/job-not-found",
                Title = "Job not found",
                Detail = $"There is no job {id} for this caller.",
            });
        }

        return TypedResults.ServerSentEvents(feed.ReadAsync(id, tenantId, after, http.RequestAborted));
    }
}
