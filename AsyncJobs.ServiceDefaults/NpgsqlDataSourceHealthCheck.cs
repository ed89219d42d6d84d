using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AsyncJobs.ServiceDefaults;

/// <summary>
/// Healthy when PostgreSQL answers <c>SELECT 1</c> through the shared data source. Our own check
/// because AspNetCore.HealthChecks.NpgSql exists here only as a 2019 release.
/// </summary>
internal sealed class NpgsqlDataSourceHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception: exception);
        }
    }
}
