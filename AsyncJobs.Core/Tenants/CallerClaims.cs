using System.Security.Claims;

namespace AsyncJobs.Core.Tenants;

/// <summary>Who is calling: a tenant (API key), or a single job's reader (job token).</summary>
public static class CallerClaims
{
    public const string TenantId = "asyncjobs:tenant_id";

    public const string SubmissionsPerMinute = "asyncjobs:submissions_per_minute";

    public const string MaxInFlight = "asyncjobs:max_in_flight";

    /// <summary>Present only for job-token callers: the one job they may read.</summary>
    public const string JobId = "asyncjobs:job_id";

    public static Guid GetTenantId(this ClaimsPrincipal caller) =>
        Guid.Parse(caller.FindFirstValue(TenantId) ?? throw new InvalidOperationException("The caller has no tenant."));

    /// <summary>True when the caller may read <paramref name="jobId"/>: any job of its tenant, or the one job its token names.</summary>
    public static bool MayRead(this ClaimsPrincipal caller, Guid jobId) =>
        caller.FindFirstValue(JobId) is not { } tokenJob || Guid.Parse(tokenJob) == jobId;

    public static int? GetSubmissionsPerMinute(this ClaimsPrincipal caller) => IntClaim(caller, SubmissionsPerMinute);

    public static int? GetMaxInFlight(this ClaimsPrincipal caller) => IntClaim(caller, MaxInFlight);

    private static int? IntClaim(ClaimsPrincipal caller, string type) =>
        int.TryParse(caller.FindFirstValue(type), out var value) ? value : null;

    /// <summary>True for API-key callers, who may submit and change jobs.</summary>
    public static bool IsTenantKey(this ClaimsPrincipal caller) => caller.FindFirstValue(JobId) is null;
}
