namespace AsyncJobs.Notifier.Events;

/// <summary>What a subscription receives from the hub: a durable event, a live progress frame, or (neither) a heartbeat.</summary>
public readonly record struct HubItem(DispatchedEvent? Durable, LiveProgressFrame? Live)
{
    public static HubItem Heartbeat => default;

    public bool IsHeartbeat => Durable is null && Live is null;
}
