using Hangfire.PostgreSql;
using Hangfire.Storage;
using Npgsql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Hangfire.PostgreSql's storage on the worker's own <see cref="NpgsqlDataSource"/> (one pool and one set of connection
/// settings for AsyncJobs' statements and Hangfire's), whose connections take job state locks as advisory locks
/// (<see cref="AdvisoryStateLockConnection"/>).
/// </summary>
public sealed class AsyncJobsHangfireStorage(NpgsqlDataSource dataSource, PostgreSqlStorageOptions options)
    : PostgreSqlStorage(new DataSourceConnectionFactory(dataSource), options)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string SchemaName { get; } = options.SchemaName;

    public override IStorageConnection GetConnection() => new AdvisoryStateLockConnection(this);
}
