using System.Diagnostics.CodeAnalysis;

namespace AsyncJobs.Worker.Execution;

/// <summary>One attempt running in this process: what its lease is fenced by, and the token its handler watches.</summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The source has no timer or wait handle to free, and a late Stop from the heartbeat or a listener must never meet a disposed one.")]
public sealed class RunningJob(Guid jobId, int attempt, string? correlationId, DateTimeOffset startedAt)
{
    private readonly CancellationTokenSource stop = new();
    private int reason;

    public Guid JobId { get; } = jobId;

    public int Attempt { get; } = attempt;

    public string? CorrelationId { get; } = correlationId;

    public CancellationToken Token => stop.Token;

    /// <summary>When this process last renewed the lease (by this process's clock); only the heartbeat reads and writes it.</summary>
    public DateTimeOffset LeaseRenewedAt { get; set; } = startedAt;

    public StopReason StopReason => (StopReason)Volatile.Read(ref reason);

    /// <summary>Tells the handler to stop, unless it was already told for another reason. True when this call decided.</summary>
    public bool Stop(StopReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, (int)StopReason.None) != (int)StopReason.None)
        {
            return false;
        }

        // Callbacks run on the thread pool, not on the caller's (a Redis or timer thread).
        _ = stop.CancelAsync();
        return true;
    }
}
