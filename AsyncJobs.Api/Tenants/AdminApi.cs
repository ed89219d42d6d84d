using System.Security.Cryptography;
using System.Text;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Api.Tenants;

/// <summary>Operator endpoints, authenticated with the admin key in <c>X-Admin-Key</c> (not a tenant's API key).</summary>
public static class AdminApi
{
    public const string AdminKeyHeader = "X-Admin-Key";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/tenants", CreateTenant)
            .WithTags("Admin")
            .WithName(nameof(CreateTenant))
            .WithSummary("Create a tenant and its first API key")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<TenantCreatedResponse>, ProblemHttpResult>> CreateTenant(
        CreateTenantRequest request, HttpContext http, JobsDbContext db, IOptions<AdminOptions> admin, TimeProvider time)
    {
        if (!IsAdmin(http.Request.Headers[AdminKeyHeader], admin.Value.ApiKey))
        {
            return new ApiProblem(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Missing or invalid admin key",
                $"Send the operator's key in '{AdminKeyHeader}'.").ToResult();
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }

        if (request.SubmissionsPerMinute is < 1)
        {
            errors["submissionsPerMinute"] = ["Must be at least 1."];
        }

        if (request.MaxInFlight is < 1)
        {
            errors["maxInFlight"] = ["Must be at least 1."];
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid(errors, title: "Invalid tenant").ToResult();
        }

        var now = time.GetUtcNow();
        var tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!,
            SubmissionsPerMinute = request.SubmissionsPerMinute,
            MaxInFlight = request.MaxInFlight,
            CreatedAt = now,
        };
        var apiKey = SecretHasher.NewSecret(CallerAuthenticationHandler.ApiKeyPrefix);
        db.Tenants.Add(tenant);
        db.ApiKeys.Add(new ApiKey { Id = Guid.CreateVersion7(), TenantId = tenant.Id, KeyHash = SecretHasher.Hash(apiKey), Prefix = apiKey[..12], CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new ApiProblem(StatusCodes.Status409Conflict, ProblemTypes.TenantExists, "Tenant exists", $"A tenant named '{request.Name}' already exists.").ToResult();
        }

        // No Location: tenants have no read endpoint yet.
        return TypedResults.Created((string?)null, new TenantCreatedResponse(tenant.Id, tenant.Name, apiKey));
    }

    private static bool IsAdmin(string? presented, string? configured) =>
        !string.IsNullOrEmpty(configured) && presented is not null &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
}
