using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AsyncJobs.Bench.Baselines;

/// <summary>
/// The problem AsyncJobs solves: the slow work done inside the request (demo.simulate's steps, awaited like a
/// third-party call), so the client waits the job's whole duration for its answer.
/// </summary>
public static class SynchronousWorkEndpoint
{
    public static Task<LoopbackWebApp> StartAsync(int steps, TimeSpan stepDuration, CancellationToken cancellationToken) =>
        LoopbackWebApp.StartAsync(
            _ => { },
            app => app.MapPost("/jobs", async (CancellationToken requestAborted) =>
            {
                for (var step = 0; step < steps; step++)
                {
                    await Task.Delay(stepDuration, requestAborted);
                }

                return TypedResults.Json(new WorkDone(steps, "succeeded"), statusCode: StatusCodes.Status200OK);
            }),
            cancellationToken);

    private sealed record WorkDone(int Steps, string Status);
}
