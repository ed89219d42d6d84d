namespace AsyncJobs.LocalHost;

public enum ServiceKind
{
    Api,
    Worker,
    Notifier,
}
