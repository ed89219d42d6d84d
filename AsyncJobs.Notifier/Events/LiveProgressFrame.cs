using AsyncJobs.Core.Events;

namespace AsyncJobs.Notifier.Events;

/// <summary>A live progress report as the hub hands it to subscriptions, encoded once for all of them.</summary>
public sealed class LiveProgressFrame(LiveProgressMessage message)
{
    public Guid TenantId { get; } = message.TenantId;

    public Guid JobId { get; } = message.JobId;

    /// <summary>The newest durable event the worker knew of: a stream that already sent a later one drops this frame.</summary>
    public int AfterSequence { get; } = message.AfterSequence;

    public ReadOnlyMemory<byte> Frame { get; } = EventFrames.Live(JobEventTypes.Progress, message.Data);
}
