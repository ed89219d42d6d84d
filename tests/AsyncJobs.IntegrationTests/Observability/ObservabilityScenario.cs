using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Webhooks;

namespace AsyncJobs.IntegrationTests.Observability;

/// <summary>What every observability scenario needs: the topology, its exported telemetry, job calls and a deadline.</summary>
public abstract class ObservabilityScenario(ObservabilityTopologyFixture fixture)
{
    public const string JobIdTag = "asyncjobs.job.id";

    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    protected ObservabilityTopologyFixture Fixture => fixture;

    protected OtlpReceiver Telemetry => fixture.Telemetry;

    protected static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TestDeadline);
        return deadline;
    }

    /// <summary>Submits a <c>demo.simulate</c> job; returns its id and the response's <c>X-Correlation-Id</c>.</summary>
    protected static async Task<(Guid Id, string? CorrelationId)> SubmitAsync(
        HttpClient api, object payload, CancellationToken cancellationToken, string? correlationId = null, string? priority = null, int? maxAttempts = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs")
        {
            Content = WebhookJson.Body(new Dictionary<string, object?>
            {
                ["type"] = "demo.simulate",
                ["payload"] = payload,
                ["priority"] = priority,
                ["maxAttempts"] = maxAttempts,
            }.Where(p => p.Value is not null).ToDictionary()),
        };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        using var response = await api.SendAsync(request, cancellationToken);
        var accepted = await response.ReadAsync<JsonElement>(HttpStatusCode.Accepted, cancellationToken);
        var echoed = response.Headers.TryGetValues("X-Correlation-Id", out var values) ? values.Single() : null;
        return (accepted.GetProperty("id").GetGuid(), echoed);
    }

    /// <summary>Polls <c>GET /jobs/{id}</c> until the job is in <paramref name="status"/> (the token is the deadline).</summary>
    protected static async Task WaitForStatusAsync(HttpClient api, Guid id, string status, CancellationToken cancellationToken)
    {
        var last = "";
        try
        {
            while (true)
            {
                var job = await api.GetFromJsonAsync<JsonElement>($"/jobs/{id}", cancellationToken);
                last = job.GetProperty("status").GetString()!;
                if (last == status)
                {
                    return;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"Job {id} never became {status} before the deadline; it is {last}.");
        }
    }

    /// <summary>
    /// Waits for an export from <paramref name="service"/> that started after now: every instrument is exported
    /// cumulatively in each export, so values read afterwards include everything recorded before this call.
    /// </summary>
    protected Task WaitForFreshMetricsAsync(string service, CancellationToken cancellationToken)
    {
        var now = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        return Telemetry.WaitForAsync(t => t.Points.FirstOrDefault(p => p.Service == service && p.TimeUnixNano > now), $"a metrics export from {service}", cancellationToken);
    }

    /// <summary>The job's spans from every service, and the root: the API's POST /jobs server span that accepted it.</summary>
    protected static JobTrace? TraceOf(OtlpReceiver telemetry, Guid jobId)
    {
        var id = jobId.ToString();
        var spans = telemetry.Spans;
        var root = spans.FirstOrDefault(s => s.Service == "api" && s.Kind == ReceivedSpan.ServerKind && s[JobIdTag] == id);
        return root is null ? null : new JobTrace(root, [.. spans.Where(s => s.TraceId == root.TraceId)], [.. spans.Where(s => s[JobIdTag] == id)]);
    }

    /// <param name="InTrace">Every span of the root's trace.</param>
    /// <param name="AboutJob">Every span carrying the job's id, wherever it is.</param>
    protected sealed record JobTrace(ReceivedSpan Root, IReadOnlyList<ReceivedSpan> InTrace, IReadOnlyList<ReceivedSpan> AboutJob)
    {
        public IEnumerable<ReceivedSpan> Named(string name) => InTrace.Where(s => s.Name == name);

        public override string ToString() => string.Join("\n", InTrace);
    }
}
