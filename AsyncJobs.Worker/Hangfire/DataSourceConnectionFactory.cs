using Hangfire.PostgreSql;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Gives Hangfire connections from the worker's own <see cref="NpgsqlDataSource"/>: one pool for both, so a
/// <c>TransactionScope</c> that spans AsyncJobs' statements and Hangfire's writes (the outbox relay) reuses one
/// physical connection and commits once, instead of needing a distributed transaction.
/// </summary>
public sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
