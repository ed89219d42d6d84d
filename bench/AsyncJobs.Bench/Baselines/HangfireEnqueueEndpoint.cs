using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncJobs.Bench.Baselines;

/// <summary>What a team would write instead of AsyncJobs: a minimal endpoint calling Hangfire's Enqueue, default options.</summary>
public static class HangfireEnqueueEndpoint
{
    public static Task<LoopbackWebApp> StartAsync(BaselineHangfire hangfire, CancellationToken cancellationToken) =>
        LoopbackWebApp.StartAsync(
            services => services.AddSingleton(hangfire.Client),
            app => app.MapPost("/jobs", Accept),
            cancellationToken);

    // Into a queue no server reads, so the accepted jobs stay put instead of loading the drain baseline later.
    private static JsonHttpResult<EnqueuedJob> Accept(IBackgroundJobClient jobs) =>
        TypedResults.Json(new EnqueuedJob(jobs.Enqueue(BaselineHangfire.UnservedQueue, () => BaselineJobs.Nothing()), "queued"), statusCode: StatusCodes.Status202Accepted);

    private sealed record EnqueuedJob(string Id, string Status);
}
