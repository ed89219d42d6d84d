using AsyncJobs.Core.Events;

namespace AsyncJobs.Notifier.Events;

/// <summary>
/// A durable event as the hub hands it to every subscription: its frames are encoded once, on first use, and the
/// same bytes are written to every stream (job streams use the job's sequence as id, tenant streams the global id).
/// </summary>
public sealed class DispatchedEvent(JobEventMessage message)
{
    private byte[]? jobFrame;
    private byte[]? tenantFrame;

    public JobEventMessage Message { get; } = message;

    public ReadOnlyMemory<byte> JobFrame => jobFrame ??= EventFrames.Durable(Message, Message.Sequence);

    public ReadOnlyMemory<byte> TenantFrame => tenantFrame ??= EventFrames.Durable(Message, Message.EventId);
}
