namespace AsyncJobs.IntegrationTests.Observability;

[Collection(ObservabilityCollectionDefinition.Name)]
public sealed class JobTraceTests(ObservabilityTopologyFixture fixture) : ObservabilityScenario(fixture)
{
    [Fact]
    public async Task One_job_is_one_trace_from_the_POST_span_through_the_worker_to_the_notifier_and_its_webhook()
    {
        using var deadline = StartDeadline();
        var (tenant, _) = await Fixture.NewTenantAsync(deadline.Token);
        using var _ = tenant;
        await using var receiver = await Webhooks.WebhookReceiver.StartAsync(deadline.Token);
        await tenant.CreateEndpointAsync(receiver.Url("/hooks"), ["job.succeeded"], deadline.Token);

        var job = await tenant.SubmitQuickJobAsync(deadline.Token);

        var trace = await Telemetry.WaitForAsync(
            t => TraceOf(t, job.Id) is { } found
                && found.Named("job.attempt").Any(s => s["asyncjobs.job.outcome"] == "succeeded")
                && found.Named("job.event.publish").Any(s => s["asyncjobs.event.type"] == "job.succeeded")
                && found.Named("webhook.deliver").Any(s => s["asyncjobs.job.outcome"] == "delivered")
                && found.Named("job.handover").Any()
                ? found : null,
            $"job {job.Id}'s trace through the worker and the notifier",
            deadline.Token);

        // One trace: every span about the job, from every service, is in the trace of the request that accepted it.
        trace.AboutJob.ShouldAllBe(s => s.TraceId == trace.Root.TraceId, trace.ToString());
        string.Join(",", trace.InTrace.Select(s => s.Service).Distinct().Order()).ShouldBe("api,notifier,worker", trace.ToString());

        // The relay's hand-over, the Hangfire execution and the events chain to the POST span, as children.
        var root = trace.Root.SpanId;
        var handOver = trace.Named("job.handover").ShouldHaveSingleItem();
        handOver.Service.ShouldBe("worker");
        handOver.ParentSpanId.ShouldBe(root);
        var run = trace.Named("job.run").ShouldHaveSingleItem();
        (run.Service, run.Kind, run.ParentSpanId).ShouldBe(("worker", ReceivedSpan.ConsumerKind, root));
        var attempt = trace.Named("job.attempt").ShouldHaveSingleItem();
        attempt.ParentSpanId.ShouldBe(run.SpanId);
        (attempt["asyncjobs.job.attempt"], attempt["asyncjobs.job.type"]).ShouldBe(("1", "demo.simulate"));

        var published = trace.Named("job.event.publish").ToList();
        published.ShouldAllBe(s => s.Service == "notifier" && s.ParentSpanId == root);
        published.Select(s => s["asyncjobs.event.type"]).ShouldBeSubsetOf(["job.queued", "job.running", "job.progress", "job.succeeded"]);
        published.Select(s => s["asyncjobs.event.type"]).ShouldContain("job.queued");

        // The webhook attempt is in the job's trace, and its HTTP request is inside it.
        var delivery = trace.Named("webhook.deliver").ShouldHaveSingleItem();
        (delivery.Service, delivery.ParentSpanId).ShouldBe(("notifier", root));
        delivery["http.response.status_code"].ShouldBe("200");
        trace.InTrace.ShouldContain(s => s.Service == "notifier" && s.Kind == ReceivedSpan.ClientKind && s.ParentSpanId == delivery.SpanId, trace.ToString());
    }

    [Fact]
    public async Task A_retried_job_has_one_attempt_span_per_attempt_in_its_trace()
    {
        using var deadline = StartDeadline();
        var (tenant, _) = await Fixture.NewTenantAsync(deadline.Token);
        using var _ = tenant;

        var (id, _) = await SubmitAsync(tenant.Api, new { steps = 1, stepDurationMs = 0, failTimes = 2 }, deadline.Token, maxAttempts: 5);

        var trace = await Telemetry.WaitForAsync(
            t => TraceOf(t, id) is { } found && found.Named("job.attempt").Any(s => s["asyncjobs.job.outcome"] == "succeeded") ? found : null,
            $"job {id}'s successful third attempt",
            deadline.Token);

        var attempts = trace.Named("job.attempt").OrderBy(s => int.Parse(s["asyncjobs.job.attempt"]!)).ToList();
        attempts.Select(s => s["asyncjobs.job.attempt"]).ShouldBe(["1", "2", "3"], trace.ToString());
        attempts.Select(s => s["asyncjobs.job.outcome"]).ShouldBe(["retrying", "retrying", "succeeded"]);
        attempts.Take(2).ShouldAllBe(s => s.StatusCode == ReceivedSpan.ErrorStatus && s["error.type"] != null);

        // Each attempt is its own Hangfire execution, a sibling under the request that accepted the job.
        var runs = trace.Named("job.run").ToList();
        runs.Count.ShouldBe(3);
        runs.ShouldAllBe(r => r.ParentSpanId == trace.Root.SpanId);
        attempts.Select(a => a.ParentSpanId).Order().ShouldBe(runs.Select(r => r.SpanId).Order());
        trace.AboutJob.ShouldAllBe(s => s.TraceId == trace.Root.TraceId);
    }
}
