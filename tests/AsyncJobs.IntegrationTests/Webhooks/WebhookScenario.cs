namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>What every webhook scenario needs: the topology, a fresh tenant, a receiver, and a deadline.</summary>
public abstract class WebhookScenario(WebhookTopologyFixture fixture)
{
    protected static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(45);

    protected WebhookTopologyFixture Fixture => fixture;

    protected static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TestDeadline);
        return deadline;
    }

    /// <summary>Requests for one job's events of one type (the receiver may also get other tests' nothing: each has its own).</summary>
    protected static IEnumerable<ReceivedWebhook> For(IEnumerable<ReceivedWebhook> received, Guid jobId, string? type = null) =>
        received.Where(r => r.JobId == jobId && (type is null || r.Type == type));
}
