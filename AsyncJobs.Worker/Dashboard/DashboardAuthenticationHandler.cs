using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Worker.Dashboard;

/// <summary>
/// HTTP Basic for the Hangfire dashboard, because browsers prompt for it natively: any user name, and as password
/// either the admin key (full access) or any tenant's API key (read-only). API keys are checked by their SHA-256
/// hash, as the API does; the database never holds a usable secret.
/// </summary>
public sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    IOptions<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HangfireDashboard";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var password = ReadBasicPassword();
        if (password is null)
        {
            return AuthenticateResult.NoResult();
        }

        string role;
        if (IsAdminKey(password))
        {
            role = DashboardRoles.Admin;
        }
        else if (await IsTenantKeyAsync(password))
        {
            role = DashboardRoles.Viewer;
        }
        else
        {
            return AuthenticateResult.Fail("Unknown or revoked key.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"AsyncJobs Hangfire dashboard: password = admin key or API key\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    private string? ReadBasicPassword()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) ||
            !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var separator = credentials.IndexOf(':', StringComparison.Ordinal);
            return separator < 0 || separator == credentials.Length - 1 ? null : credentials[(separator + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private bool IsAdminKey(string password) =>
        admin.Value.ApiKey is { Length: > 0 } adminKey &&
        CryptographicOperations.FixedTimeEquals(SecretHasher.Hash(password), SecretHasher.Hash(adminKey));

    private async Task<bool> IsTenantKeyAsync(string password)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL");
        command.Parameters.AddWithValue("hash", SecretHasher.Hash(password));
        return await command.ExecuteScalarAsync(Context.RequestAborted) is not null;
    }
}
