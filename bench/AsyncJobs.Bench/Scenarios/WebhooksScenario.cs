using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AsyncJobs.Bench.Baselines;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;
using AsyncJobs.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>
/// Signed webhook deliveries per second to a local receiver: a tenant endpoint subscribed to job.succeeded,
/// N trivial jobs, every delivery's Standard Webhooks signature verified on receipt. Skipped, with a clear line,
/// while the API has no webhook endpoints yet.
/// </summary>
public sealed class WebhooksScenario : IScenario
{
    private const string EndpointsPath = "/webhooks/endpoints";
    private static readonly string[] SucceededOnly = ["job.succeeded"];

    public string Name => "webhooks";

    public string Title => "Webhooks: signed deliveries to a local receiver";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var jobs = context.Profile.WebhookJobs;
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);
        var receiver = new DeliveryLog();
        await using var app = await LoopbackWebApp.StartAsync(_ => { }, web => web.MapPost("/hook", receiver.ReceiveAsync), cancellationToken);

        var (status, body) = await tenant.PostJsonAsync(EndpointsPath,
            new { url = new Uri(app.Url, "/hook").ToString(), eventTypes = SucceededOnly, description = "bench receiver" }, cancellationToken);
        if (status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new ScenarioSkippedException($"not yet available: POST {EndpointsPath} answered {(int)status}.");
        }

        if ((int)status >= 300)
        {
            throw new InvalidOperationException($"POST {EndpointsPath} answered {(int)status}: {body}");
        }

        receiver.UseSecret(SecretOf(body));
        var clock = Stopwatch.StartNew();
        var delivered = await context.Console.StepAsync($"{jobs:N0} jobs, one job.succeeded delivery each", TimeSpan.FromSeconds(jobs / 100.0), async () =>
        {
            await ClosedLoop.RunCountAsync(context.Profile.BurstClients, jobs, (_, ct) => tenant.TrySubmitAsync(TenantApi.TrivialJob, ct), cancellationToken);
            var deadline = TimeSpan.FromSeconds(120 + (jobs / 10.0));
            while (receiver.Count < jobs && clock.Elapsed < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }

            return receiver.Count >= jobs
                ? clock.Elapsed
                : throw new TimeoutException($"{receiver.Count} of {jobs} deliveries within {deadline.TotalSeconds:0} s.");
        });

        var all = receiver.All.ToList();
        var firstToLast = all.Max(d => d.ReceivedAt) - all.Min(d => d.ReceivedAt);
        var latency = LatencySummary.Of(all.Select(d => (d.ReceivedAt - d.OccurredAt).TotalMilliseconds));
        result.Add(new Measurement("deliveries/s (first submit → last delivery)", jobs / delivered.TotalSeconds, "/s"));
        if (firstToLast > TimeSpan.Zero)
        {
            result.Add(new Measurement("deliveries/s (first → last delivery)", all.Count / firstToLast.TotalSeconds, "/s"));
        }

        result.Add(new Measurement("job.succeeded → delivered, p50", latency.P50, "ms"));
        result.Add(new Measurement("job.succeeded → delivered, p99", latency.P99, "ms"));
        result.Add(new Measurement("deliveries whose signature verified", receiver.Verified, "", "deliveries received", receiver.Count));
        result.Latencies.Add(new LatencySeries("job.succeeded → delivered", false, latency));
        result.Throughputs.Add(new ThroughputBar("deliveries", "first submit → last delivery", false, jobs / delivered.TotalSeconds));
        result.Notes.Add("Deliveries cannot outpace the jobs they report: the first figure is bounded by the drain rate.");
        result.Notes.Add(receiver.HasSecret
            ? "Each delivery verified with AsyncJobs.Webhooks' WebhookVerifier against the secret the API returned."
            : "The API's answer carried no 'secret': deliveries were counted, not verified.");
    }

    private static string? SecretOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("secret", out var secret) && secret.ValueKind == JsonValueKind.String ? secret.GetString() : null;
    }

    private sealed class DeliveryLog
    {
        private readonly ConcurrentDictionary<string, Delivery> deliveries = new(StringComparer.Ordinal);
        private WebhookVerifier? verifier;

        public bool HasSecret => verifier is not null;

        /// <summary>Distinct job.succeeded messages (a retried message keeps its webhook-id and counts once).</summary>
        public int Count => deliveries.Count;

        public int Verified => deliveries.Values.Count(d => d.Verified);

        public IEnumerable<Delivery> All => deliveries.Values;

        public void UseSecret(string? secret) => verifier = secret is null ? null : new WebhookVerifier(secret);

        public async Task<IResult> ReceiveAsync(HttpRequest request)
        {
            var receivedAt = DateTimeOffset.UtcNow;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var body = buffer.ToArray();
            var verified = verifier?.Verify(name => request.Headers[name].FirstOrDefault(), body).IsValid ?? false;

            // Standard Webhooks body: {"type", "timestamp" (when the event occurred), "data"}.
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.GetProperty("type").GetString() == "job.succeeded")
            {
                var id = request.Headers[WebhookHeaderNames.Id].ToString();
                deliveries.TryAdd(id.Length > 0 ? id : Guid.NewGuid().ToString(), new Delivery(root.GetProperty("timestamp").GetDateTimeOffset(), receivedAt, verified));
            }

            return TypedResults.NoContent();
        }
    }

    private sealed record Delivery(DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, bool Verified);
}
