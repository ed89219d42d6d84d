using System.Security.Claims;
using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Api.StreamTickets;

/// <summary>
/// POST /stream-tickets: what a browser uses instead of the API key to open the tenant's event stream on the
/// notifier, since EventSource cannot send headers. API keys only; a job token reads one job and gets nothing here.
/// </summary>
public static class StreamTicketsApi
{
    public static IEndpointRouteBuilder MapStreamTicketsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/stream-tickets", CreateStreamTicket)
            .WithTags("Events")
            .WithName(nameof(CreateStreamTicket))
            .WithSummary("Get a single-use ticket for the tenant event stream")
            .WithDescription("The ticket opens GET /events on the notifier once (eventsUrl), within expiresAt, and works for no other call. " +
                "To reconnect, get a new ticket and resume with ?lastEventId=N.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<Results<Created<StreamTicketResponse>, ProblemHttpResult>> CreateStreamTicket(
        ClaimsPrincipal caller, StreamTicketStore tickets, JobLinkBuilder links, IOptions<StreamTicketOptions> options)
    {
        if (!caller.IsTenantKey())
        {
            return new ApiProblem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "A job token only reads its job",
                "Use an API key to get a stream ticket; a job token opens its own job's stream directly (?access_token=).").ToResult();
        }

        var issued = await tickets.IssueAsync(caller.GetTenantId(), options.Value.Lifetime);
        var eventsUrl = $"{links.TenantEvents}?{StreamTicketAuthenticationHandler.QueryParameter}={Uri.EscapeDataString(issued.Ticket)}";
        return TypedResults.Created((string?)null, new StreamTicketResponse(issued.Ticket, issued.ExpiresAt, eventsUrl));
    }
}
