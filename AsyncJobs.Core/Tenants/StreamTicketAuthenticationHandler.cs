using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// Authenticates <c>?ticket=ast_…</c> as its tenant. Only the tenant event stream accepts this scheme
/// (<see cref="StreamTicketAuthentication.TenantEventStreamPolicy"/>); every other route ignores tickets and answers 401.
/// </summary>
public sealed class StreamTicketAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    StreamTicketStore tickets,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StreamTicket";

    public const string QueryParameter = "ticket";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? ticket = Request.Query[QueryParameter];
        if (string.IsNullOrEmpty(ticket))
        {
            return AuthenticateResult.NoResult();
        }

        if (await tickets.RedeemAsync(ticket) is not { } tenantId)
        {
            return AuthenticateResult.Fail("Unknown, expired or already used stream ticket.");
        }

        var identity = new ClaimsIdentity([new Claim(CallerClaims.TenantId, tenantId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Type = "https://asyncjobs.dev/problems/invalid-stream-ticket",
                Title = "Unknown, expired or used stream ticket",
                Detail = "A stream ticket opens one stream, once, within its lifetime: get a new one with POST /stream-tickets on the API.",
            },
        });
    }
}
