using AsyncJobs.Api.Problems;
using Npgsql;

namespace AsyncJobs.Api.Jobs;

/// <summary>
/// Refuses new work (503 with Retry-After) instead of letting the backlog grow without end: when all tenants'
/// waiting jobs pass <see cref="SubmissionOptions.MaxBacklog"/>, or a tenant's unfinished jobs reach its own bound.
/// Both are soft bounds: concurrent submissions may pass them by a few.
/// </summary>
public sealed class AdmissionControl(NpgsqlDataSource dataSource, BacklogMonitor backlog, SubmissionOptions options)
{
    public async Task<ApiProblem?> RefuseAsync(Guid tenantId, int? maxInFlight, CancellationToken cancellationToken)
    {
        if (backlog.Waiting >= options.MaxBacklog)
        {
            return Refusal($"The system has {backlog.Waiting} jobs waiting (bound {options.MaxBacklog}); try again later.");
        }

        if (maxInFlight is not { } bound)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM jobs WHERE tenant_id = @tenant_id AND state IN ('queued', 'running', 'retrying')");
        command.Parameters.AddWithValue("tenant_id", tenantId);
        var inFlight = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return inFlight >= bound ? Refusal($"This tenant has {inFlight} unfinished jobs (bound {bound}); try again when some finish.") : null;
    }

    private static ApiProblem Refusal(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, ProblemTypes.BacklogFull, "Backlog full", detail);
}
