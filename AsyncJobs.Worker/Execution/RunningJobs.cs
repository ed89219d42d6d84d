using System.Collections.Concurrent;
using AsyncJobs.Core.Data;

namespace AsyncJobs.Worker.Execution;

/// <summary>
/// The attempts running in this process, by job id: what the heartbeat renews, and where a cancel signal,
/// a lost lease or shutdown finds the handler to stop.
/// </summary>
public sealed class RunningJobs(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, RunningJob> running = new();

    public int Count => running.Count;

    public RunningJob Register(StartedJob job)
    {
        var entry = new RunningJob(job.Id, job.Attempt, job.CorrelationId, time.GetUtcNow());
        running.AddOrUpdate(job.Id, entry, (_, previous) =>
        {
            // A newer attempt of the same job started here: the older one was rescued and no longer owns the job.
            previous.Stop(StopReason.LeaseLost);
            return entry;
        });
        return entry;
    }

    public void Unregister(RunningJob entry) => running.TryRemove(KeyValuePair.Create(entry.JobId, entry));

    public bool TryStop(Guid jobId, StopReason why) => running.TryGetValue(jobId, out var entry) && entry.Stop(why);

    public IReadOnlyList<RunningJob> Snapshot() => running.Values.ToArray();
}
