using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AsyncJobs.Bench.Baselines;

/// <summary>The HTTP ceiling: Kestrel answering 202 with a small JSON body and doing nothing else.</summary>
public static class TrivialAcceptEndpoint
{
    public static Task<LoopbackWebApp> StartAsync(CancellationToken cancellationToken) =>
        LoopbackWebApp.StartAsync(_ => { }, app => app.MapPost("/jobs", Accept), cancellationToken);

    private static JsonHttpResult<TrivialAccepted> Accept() => TypedResults.Json(new TrivialAccepted(Guid.CreateVersion7(), "queued"), statusCode: StatusCodes.Status202Accepted);

    private sealed record TrivialAccepted(Guid Id, string Status);
}
