using System.Security.Claims;
using AsyncJobs.Core.Tenants;
using AsyncJobs.Notifier.Observability;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Notifier.Events;

public static class JobEventsApi
{
    private const string ProblemBase = "https://asyncjobs.dev/problems/";

    private const string ResumeDescription =
        "A new EventSource cannot set Last-Event-ID, so ?lastEventId=N is accepted as a fallback; the header wins when both are sent " +
        "(a browser's own reconnect sends the header with a newer id than the URL).";

    public static IEndpointRouteBuilder MapJobEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs/{id:guid}/events", StreamJobEvents)
            .WithName(nameof(StreamJobEvents))
            .WithSummary("Stream a job's events (Server-Sent Events): its current state, then live events, until the terminal one; resume with Last-Event-ID")
            .WithDescription(ResumeDescription)
            .RequireCors(EventStreamCors.PolicyName)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/events", StreamTenantEvents)
            .WithName(nameof(StreamTenantEvents))
            .WithSummary("Stream all of the tenant's job events (Server-Sent Events, ids are global event ids); resume with Last-Event-ID")
            .WithDescription("Authorized by an API key, or by a single-use stream ticket from POST /stream-tickets on the API (?ticket=ast_…). " + ResumeDescription)
            .RequireCors(EventStreamCors.PolicyName)
            .RequireAuthorization(StreamTicketAuthentication.TenantEventStreamPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<Results<EventStreamResult, ProblemHttpResult>> StreamJobEvents(
        Guid id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        [FromQuery(Name = "lastEventId")] string? lastEventIdQuery,
        ClaimsPrincipal caller,
        JobEventHistory history,
        JobEventFeed feed,
        JobEventHub hub,
        NotifierMetrics metrics,
        IOptions<StreamOptions> options,
        HttpContext http)
    {
        var lastEventId = string.IsNullOrEmpty(lastEventIdHeader) ? lastEventIdQuery : lastEventIdHeader;
        int? after = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            if (!int.TryParse(lastEventId, out var sequence) || sequence < 0)
            {
                return InvalidLastEventId();
            }

            after = sequence;
        }

        var tenantId = caller.GetTenantId();
        if (!caller.MayRead(id) || await history.FindAsync(id, tenantId, http.RequestAborted) is null)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Type = ProblemBase + "job-not-found",
                Title = "Job not found",
                Detail = $"There is no job {id} for this caller.",
            });
        }

        var streams = options.Value;
        return new EventStreamResult(
            feed.ReadJobAsync(id, tenantId, after, http.RequestAborted), streams, metrics, "job", holdWhenEnded: () => hub.Watching(id) >= streams.EndedStreamHoldFromWatchers);
    }

    public static Results<EventStreamResult, ProblemHttpResult> StreamTenantEvents(
        [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        [FromQuery(Name = "lastEventId")] string? lastEventIdQuery,
        ClaimsPrincipal caller,
        JobEventFeed feed,
        NotifierMetrics metrics,
        IOptions<StreamOptions> options,
        HttpContext http)
    {
        if (!caller.IsTenantKey())
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Type = ProblemBase + "forbidden",
                Title = "A job token only reads its job",
                Detail = "Use an API key to stream all of the tenant's events.",
            });
        }

        var lastEventId = string.IsNullOrEmpty(lastEventIdHeader) ? lastEventIdQuery : lastEventIdHeader;
        long? after = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            if (!long.TryParse(lastEventId, out var eventId) || eventId < 0)
            {
                return InvalidLastEventId();
            }

            after = eventId;
        }

        return new EventStreamResult(feed.ReadTenantAsync(caller.GetTenantId(), after, http.RequestAborted), options.Value, metrics, "tenant");
    }

    private static ProblemHttpResult InvalidLastEventId() => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Type = ProblemBase + "invalid-last-event-id",
        Title = "Invalid Last-Event-ID",
        Detail = "Last-Event-ID must be the id of an event from this stream (a non-negative integer).",
    });
}
