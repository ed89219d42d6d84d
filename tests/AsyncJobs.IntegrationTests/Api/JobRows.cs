using Npgsql;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Reads the jobs database directly: what a request wrote, checked with something the API did not answer.</summary>
public sealed class JobRows(string connectionString)
{
    public Task<long> CountJobsAsync(Guid tenantId, CancellationToken cancellationToken) =>
        CountAsync("SELECT count(*) FROM jobs WHERE tenant_id = @t", tenantId, cancellationToken);

    public Task<long> CountEventsAsync(Guid tenantId, CancellationToken cancellationToken) =>
        CountAsync("SELECT count(*) FROM job_events WHERE tenant_id = @t", tenantId, cancellationToken);

    public Task<long> CountTenantsNamedAsync(string name, CancellationToken cancellationToken) =>
        CountAsync("SELECT count(*) FROM tenants WHERE name = @t", name, cancellationToken);

    /// <summary>Nothing at all was written for the tenant: no job, no event.</summary>
    public async Task ShouldHaveNothingForAsync(Guid tenantId, string because, CancellationToken cancellationToken)
    {
        (await CountJobsAsync(tenantId, cancellationToken)).ShouldBe(0, $"rows in jobs after {because}");
        (await CountEventsAsync(tenantId, cancellationToken)).ShouldBe(0, $"rows in job_events after {because}");
    }

    private async Task<long> CountAsync(string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("t", parameter);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
