using System.Diagnostics.Metrics;
using AsyncJobs.ServiceDefaults;

namespace AsyncJobs.Worker;

/// <summary>The worker's recovery counters: every rescue and hand-back is also logged with its job id.</summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> rescued;
    private readonly Counter<long> handedBack;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(AsyncJobsTelemetry.MeterName);
        rescued = meter.CreateCounter<long>("asyncjobs.worker.rescued", "{job}", "Jobs taken back by the rescuer, by reason");
        handedBack = meter.CreateCounter<long>("asyncjobs.worker.handed_back", "{job}", "Running jobs handed back at shutdown");
    }

    /// <summary><paramref name="reason"/>: <c>worker_lost</c>, <c>worker_lost_dead_lettered</c>, <c>not_started</c>.</summary>
    public void Rescued(string reason, int count = 1) => rescued.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void HandedBack() => handedBack.Add(1);
}
