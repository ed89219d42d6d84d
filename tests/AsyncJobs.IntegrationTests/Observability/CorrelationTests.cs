namespace AsyncJobs.IntegrationTests.Observability;

[Collection(ObservabilityCollectionDefinition.Name)]
public sealed class CorrelationTests(ObservabilityTopologyFixture fixture) : ObservabilityScenario(fixture)
{
    [Fact]
    public async Task The_correlation_id_is_echoed_and_on_the_worker_and_notifier_log_lines_about_the_job()
    {
        using var deadline = StartDeadline();
        var (tenant, _) = await Fixture.NewTenantAsync(deadline.Token);
        using var _ = tenant;
        await using var receiver = await Webhooks.WebhookReceiver.StartAsync(deadline.Token);
        await tenant.CreateEndpointAsync(receiver.Url("/hooks"), ["job.succeeded"], deadline.Token);
        var correlationId = $"order-{Guid.NewGuid():N}";

        var (id, echoed) = await SubmitAsync(tenant.Api, new { steps = 1, stepDurationMs = 0 }, deadline.Token, correlationId);
        echoed.ShouldBe(correlationId);

        var jobId = id.ToString();
        // Each service exports on its own schedule: wait until the API's request span and every service's lines are in.
        var (logs, trace) = await Telemetry.WaitForAsync(
            t =>
            {
                var aboutJob = t.Logs.Where(l => l["JobId"] == jobId).ToList();
                return aboutJob.Any(l => l.Service == "api")
                    && aboutJob.Any(l => l.Service == "worker" && l.Body.Contains("succeeded", StringComparison.Ordinal))
                    && aboutJob.Any(l => l.Service == "notifier" && l.Body.StartsWith("Delivered webhook", StringComparison.Ordinal))
                    && TraceOf(t, id) is { } found
                    ? Tuple.Create(aboutJob, found) : null;
            },
            $"the API's request span and the API's, worker's and notifier's log lines about job {id}",
            deadline.Token);

        // Every line about the job, in every service, carries its correlation id and its trace.
        string.Join(",", logs.Select(l => l.Service).Distinct().Order()).ShouldBe("api,notifier,worker", string.Join("\n", logs));
        logs.ShouldAllBe(l => l["CorrelationId"] == correlationId, string.Join("\n", logs));
        logs.ShouldAllBe(l => l.TraceId == trace.Root.TraceId, string.Join("\n", logs));
    }
}
