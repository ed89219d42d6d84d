using System.Net.Http.Headers;

namespace AsyncJobs.IntegrationTests.Observability;

[Collection(ObservabilityCollectionDefinition.Name)]
public sealed class JobMetricsTests(ObservabilityTopologyFixture fixture) : ObservabilityScenario(fixture)
{
    private const string Type = "demo.simulate";

    [Fact]
    public async Task The_job_counters_and_the_pickup_and_duration_histograms_count_a_job_that_runs()
    {
        using var deadline = StartDeadline();
        var (tenant, _) = await Fixture.NewTenantAsync(deadline.Token);
        using var _ = tenant;
        await Task.WhenAll(WaitForFreshMetricsAsync("api", deadline.Token), WaitForFreshMetricsAsync("worker", deadline.Token));
        var before = Snapshot();

        var (id, _) = await SubmitAsync(tenant.Api, new { steps = 1, stepDurationMs = 0, failTimes = 1 }, deadline.Token, maxAttempts: 3);
        await WaitForStatusAsync(tenant.Api, id, "succeeded", deadline.Token);

        // The API and the worker export on their own schedules: the worker's export with the job's success can arrive
        // before the API's next export carries its acceptance.
        var after = await Telemetry.WaitForAsync(
            _ => Snapshot() is var now && now.Succeeded > before.Succeeded && now.Accepted > before.Accepted ? now : null,
            "the worker's succeeded and the API's accepted counters moving", deadline.Token);
        (after.Accepted - before.Accepted).ShouldBeGreaterThanOrEqualTo(1);
        (after.Started - before.Started).ShouldBeGreaterThanOrEqualTo(2, "two attempts started");
        (after.Retried - before.Retried).ShouldBeGreaterThanOrEqualTo(1);
        (after.Pickups - before.Pickups).ShouldBeGreaterThanOrEqualTo(2, "each attempt's pickup is recorded");
        (after.Durations - before.Durations).ShouldBeGreaterThanOrEqualTo(2, "each attempt's duration is recorded");
    }

    [Fact]
    public async Task The_queue_depth_gauge_shows_a_job_waiting_behind_a_busy_worker_and_returns_to_zero()
    {
        using var deadline = StartDeadline();
        var (tenant, _) = await Fixture.NewTenantAsync(deadline.Token);
        using var _ = tenant;

        // The worker runs one job at a time: while this one hangs, the next waits in its queue.
        var (busy, _) = await SubmitAsync(tenant.Api, new { hang = true }, deadline.Token);
        await WaitForStatusAsync(tenant.Api, busy, "running", deadline.Token);
        var (waiting, _) = await SubmitAsync(tenant.Api, new { steps = 1, stepDurationMs = 0 }, deadline.Token);

        await Telemetry.WaitForAsync(
            t => t.Value("worker", "asyncjobs.queue.depth", ("asyncjobs.queue", "normal")) >= 1
                && t.Value("worker", "asyncjobs.queue.oldest_age", ("asyncjobs.queue", "normal")) > 0 ? "" : null,
            "a waiting job in the normal queue's depth and age", deadline.Token);
        Telemetry.Value("worker", "asyncjobs.queue.depth", ("asyncjobs.queue", "high")).ShouldBe(0, "every queue is reported, empty ones at zero");

        using var cancel = await tenant.Api.PostAsync($"/jobs/{busy}/cancel", null, deadline.Token);
        cancel.IsSuccessStatusCode.ShouldBeTrue();
        await WaitForStatusAsync(tenant.Api, waiting, "succeeded", deadline.Token);
        await Telemetry.WaitForAsync(
            t => t.Value("worker", "asyncjobs.queue.depth", ("asyncjobs.queue", "normal")) == 0 ? "" : null, "the normal queue empty again", deadline.Token);
    }

    [Fact]
    public async Task Open_SSE_streams_go_up_while_a_stream_is_open_and_down_after_it_closes()
    {
        using var deadline = StartDeadline();
        var (tenant, apiKey) = await Fixture.NewTenantAsync(deadline.Token);
        using var _ = tenant;
        var (id, _) = await SubmitAsync(tenant.Api, new { steps = 1, stepDurationMs = 60_000 }, deadline.Token);
        await WaitForFreshMetricsAsync("notifier", deadline.Token);
        var before = Telemetry.Value("notifier", "asyncjobs.sse.active_streams", ("asyncjobs.sse.scope", "job")) ?? 0;

        using (var notifier = Fixture.Client(Fixture.Topology.NotifierUrl, apiKey))
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/jobs/{id}/events"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await notifier.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            response.IsSuccessStatusCode.ShouldBeTrue();
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
            // The stream opens with the job's current state: it is being served.
            while (await stream.ReadLineAsync(deadline.Token) is { } line && !line.StartsWith("event:", StringComparison.Ordinal))
            {
            }

            await Telemetry.WaitForAsync(
                t => t.Value("notifier", "asyncjobs.sse.active_streams", ("asyncjobs.sse.scope", "job")) >= before + 1 ? "" : null,
                "the open stream counted", deadline.Token);
        }

        await Telemetry.WaitForAsync(
            t => t.Value("notifier", "asyncjobs.sse.active_streams", ("asyncjobs.sse.scope", "job")) <= before ? "" : null,
            "the closed stream no longer counted", deadline.Token);
        using var cancel = await tenant.Api.PostAsync($"/jobs/{id}/cancel", null, deadline.Token);
        cancel.IsSuccessStatusCode.ShouldBeTrue();
    }

    private Counts Snapshot() => new(
        Telemetry.Value("api", "asyncjobs.job.accepted", ("asyncjobs.job.type", Type)) ?? 0,
        Telemetry.Value("worker", "asyncjobs.job.started", ("asyncjobs.job.type", Type)) ?? 0,
        Telemetry.Value("worker", "asyncjobs.job.succeeded", ("asyncjobs.job.type", Type)) ?? 0,
        Telemetry.Value("worker", "asyncjobs.job.retried", ("asyncjobs.job.type", Type)) ?? 0,
        Telemetry.Value("worker", "asyncjobs.job.pickup.duration", ("asyncjobs.job.type", Type)) ?? 0,
        Telemetry.Value("worker", "asyncjobs.job.attempt.duration", ("asyncjobs.job.type", Type)) ?? 0);

    private sealed record Counts(double Accepted, double Started, double Succeeded, double Retried, double Pickups, double Durations);
}
