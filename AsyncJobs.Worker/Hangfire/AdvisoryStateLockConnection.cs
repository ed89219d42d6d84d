using Hangfire.PostgreSql;

namespace AsyncJobs.Worker.Hangfire;

/// <summary>
/// Hangfire.PostgreSql's connection, with each job's state lock (<c>job:{id}:state-lock</c>, taken around every state
/// change) held as a <see cref="JobStateAdvisoryLock"/>. Every process that changes a job's state reaches it through
/// <see cref="AsyncJobsHangfireStorage"/>, so they all exclude each other the same way. Other resources keep Hangfire's
/// lock table: each is taken about once a poll per process, not once per job, and Hangfire.PostgreSql's own components
/// lock some rows of that table directly, not through a connection, so moving a resource means finding every taker.
/// </summary>
public sealed class AdvisoryStateLockConnection(AsyncJobsHangfireStorage storage) : PostgreSqlConnection(storage)
{
    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) =>
        IsJobStateLock(resource)
            ? JobStateAdvisoryLock.Acquire(storage.DataSource, $"{storage.SchemaName}:{resource}", timeout)
            : base.AcquireDistributedLock(resource, timeout);

    private static bool IsJobStateLock(string resource) =>
        resource.StartsWith("job:", StringComparison.Ordinal) && resource.EndsWith(":state-lock", StringComparison.Ordinal);
}
