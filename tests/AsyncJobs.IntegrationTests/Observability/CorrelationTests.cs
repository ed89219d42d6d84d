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
        var logs = await Telemetry.WaitForAsync(
            t =>
            {
                var aboutJob = t.Logs.Where(l => l["JobId"] == jobId).ToList();
                return aboutJob.Any(l => l.Service == "worker" && l.Body.Contains("succeeded", StringComparison.Ordinal))
                    && aboutJob.Any(l => l.Service == "notifier" && l.Body.StartsWith("Delivered webhook", StringComparison.Ordinal))
                    ? aboutJob : null;
            },
            $"the worker's and the notifier's log lines about job {id}",
            deadline.Token);
        var trace = TraceOf(Telemetry, id).ShouldNotBeNull();

        // Every line about the job, in every service, carries its correlation id and its trace.
        string.Join(",", logs.Select(l => l.Service).Distinct().Order()).ShouldBe("api,notifier,worker", string.Join("\n", logs));
        logs.ShouldAllBe(l => l["CorrelationId"] == correlationId, string.Join("\n", logs));
        logs.ShouldAllBe(l => l.TraceId == trace.Root.TraceId, string.Join("\n", logs));
    }
}
