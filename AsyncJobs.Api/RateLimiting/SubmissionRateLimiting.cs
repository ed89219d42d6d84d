using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace AsyncJobs.Api.RateLimiting;

/// <summary>
/// Submissions per minute per tenant, counted in Redis so the limit holds across API replicas, and reserved from it in
/// blocks (<see cref="RedisBlockRateLimiter"/>). A tenant's own setting wins over the configured default.
/// </summary>
public static class SubmissionRateLimiting
{
    public const string PolicyName = "submissions";

    public static IServiceCollection AddSubmissionRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, http =>
            {
                var caller = http.User;
                if (caller.FindFirstValue(CallerClaims.TenantId) is not { } tenantId)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var perMinute = caller.GetSubmissionsPerMinute() ?? http.RequestServices.GetRequiredService<SubmissionOptions>().SubmissionsPerMinute;
                return RateLimitPartition.Get($"asyncjobs:submissions:{tenantId}:{perMinute}", key => new RedisBlockRateLimiter(
                    http.RequestServices.GetRequiredService<IConnectionMultiplexer>(), key, perMinute, TimeSpan.FromMinutes(1), http.RequestServices.GetRequiredService<TimeProvider>()));
            });
            limiter.OnRejected = WriteRejectionAsync;
        });
        return services;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Type = ProblemTypes.RateLimited,
                Title = "Too many submissions",
                Detail = $"This tenant's submission limit is reached; retry after {retryAfter} s.",
            },
        });
    }
}
