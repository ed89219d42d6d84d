using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Core.Tenants;

/// <summary>
/// Authenticates an API key (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>) as its tenant, or a job token
/// (<c>Authorization: Bearer</c> or <c>?access_token=</c>, for browsers' EventSource) as a reader of its one job.
/// Only SHA-256 hashes are stored, so the database never holds a usable secret. An API key's tenant is remembered
/// for a few seconds (<see cref="ApiKeyCache"/>), so revoking a key takes effect within <see cref="ApiKeyCache.Lifetime"/>.
/// </summary>
public sealed class CallerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    ApiKeyCache apiKeys,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AsyncJobs";
    public const string ApiKeyPrefix = "ajk_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadSecret();
        if (secret is null)
        {
            return AuthenticateResult.NoResult();
        }

        var ticket = secret.StartsWith(JobToken.Prefix, StringComparison.Ordinal)
            ? await FindJobTokenAsync(secret)
            : await FindApiKeyAsync(SecretHasher.Hash(secret));
        return ticket is null ? AuthenticateResult.Fail("Unknown or revoked credential.") : AuthenticateResult.Success(ticket);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Type = "https://asyncjobs.dev/problems/unauthorized",
                Title = "Missing or invalid credentials",
                Detail = "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>' (or a job token for read access to one job).",
            },
        });
    }

    private string? ReadSecret()
    {
        string? authorization = Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        string? apiKey = Request.Headers["X-Api-Key"];
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.Trim();
        }

        string? token = Request.Query["access_token"];
        return token is not null && token.StartsWith(JobToken.Prefix, StringComparison.Ordinal) ? token : null;
    }

    private ValueTask<AuthenticationTicket?> FindApiKeyAsync(byte[] hash) =>
        apiKeys.TryGet(hash, out var ticket) ? ValueTask.FromResult(ticket) : new ValueTask<AuthenticationTicket?>(LookUpOnceAsync(hash));

    // A method of its own: the lambda's closure is then allocated only when the key is not remembered.
    private Task<AuthenticationTicket?> LookUpOnceAsync(byte[] hash) => apiKeys.LookUpOnceAsync(hash, () => LookUpApiKeyAsync(hash));

    // Shared by every request that asks for the key while it runs (ApiKeyCache), so it watches no request's cancellation.
    private async Task<AuthenticationTicket?> LookUpApiKeyAsync(byte[] hash)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT k.tenant_id, t.submissions_per_minute, t.max_in_flight
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            WHERE k.key_hash = @hash AND k.revoked_at IS NULL
            """);
        command.Parameters.AddWithValue("hash", hash);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        if (!await reader.ReadAsync(CancellationToken.None))
        {
            return null;
        }

        var claims = new List<Claim>(3) { new(CallerClaims.TenantId, reader.GetGuid(0).ToString()) };
        if (!reader.IsDBNull(1))
        {
            claims.Add(new Claim(CallerClaims.SubmissionsPerMinute, reader.GetInt32(1).ToString(CultureInfo.InvariantCulture)));
        }

        if (!reader.IsDBNull(2))
        {
            claims.Add(new Claim(CallerClaims.MaxInFlight, reader.GetInt32(2).ToString(CultureInfo.InvariantCulture)));
        }

        return Ticket(claims);
    }

    private async Task<AuthenticationTicket?> FindJobTokenAsync(string token)
    {
        if (!JobToken.TryReadJobId(token, out var jobId))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("SELECT tenant_id, job_token_hash FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(Context.RequestAborted);
        if (!await reader.ReadAsync(Context.RequestAborted) || reader.IsDBNull(1)
            || !CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(1), SecretHasher.Hash(token)))
        {
            return null;
        }

        return Ticket([new Claim(CallerClaims.JobId, jobId.ToString()), new Claim(CallerClaims.TenantId, reader.GetGuid(0).ToString())]);
    }

    private static AuthenticationTicket Ticket(IEnumerable<Claim> claims) =>
        new(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName);
}
