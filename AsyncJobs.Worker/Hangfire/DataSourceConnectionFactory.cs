using Hangfire.PostgreSql;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Gives Hangfire connections from the worker's own <see cref="NpgsqlDataSource"/>: one pool and one set of
/// connection settings for AsyncJobs' statements and Hangfire's.
/// </summary>
public sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
