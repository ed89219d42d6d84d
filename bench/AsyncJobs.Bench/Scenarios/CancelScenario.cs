using System.Diagnostics;
using System.Net;
using AsyncJobs.Bench.Events;
using AsyncJobs.Bench.Load;
using AsyncJobs.Bench.Results;
using AsyncJobs.Bench.Topology;

namespace AsyncJobs.Bench.Scenarios;

/// <summary>Cancel latency: POST /jobs/{id}/cancel on a running job → job.cancelled received on its SSE stream.</summary>
public sealed class CancelScenario : IScenario
{
    private static readonly byte[] HangingJob = TenantApi.Job(new { hang = true }, maxAttempts: 1);

    public string Name => "cancel";

    public string Title => "Cancel: POST cancel → job.cancelled on SSE";

    public async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var trials = context.Profile.CancelTrials;
        var tenant = await context.Topology.CreateTenantAsync(Name, cancellationToken);
        var (landed, answered) = await context.Console.StepAsync($"{trials} trials", TimeSpan.FromSeconds(trials * 1.0), async () =>
        {
            var landed = new List<double>();
            var answered = new List<double>();
            for (var trial = 0; trial < trials; trial++)
            {
                var jobId = await tenant.SubmitAsync(HangingJob, cancellationToken);
                // From the start of its history: a stream opened on the current state starts with job.progress when the
                // worker picked the job up and reported before the stream opened, and job.running never comes.
                await using var stream = await EventSubscription.OpenJobAsync(context.Topology.Http, tenant, jobId, cancellationToken, lastEventId: 0);
                await stream.WaitForAsync(e => e.Type == "job.running", TimeSpan.FromSeconds(30), cancellationToken);
                var clock = Stopwatch.StartNew();
                var status = await tenant.CancelAsync(jobId, cancellationToken);
                answered.Add(clock.Elapsed.TotalMilliseconds);
                if (status != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"Cancelling a running job answered {(int)status}, not 202.");
                }

                await stream.WaitForAsync(e => e.Type == "job.cancelled", TimeSpan.FromSeconds(30), cancellationToken);
                landed.Add(clock.Elapsed.TotalMilliseconds);
            }

            return (LatencySummary.Of(landed), LatencySummary.Of(answered));
        });

        result.Add(new Measurement("POST cancel → job.cancelled, p50", landed.P50, "ms"));
        result.Add(new Measurement("POST cancel → job.cancelled, p99", landed.P99, "ms", Target: IssueTargets.CancelP99));
        result.Add(new Measurement("POST cancel → job.cancelled, max", landed.Max, "ms"));
        result.Add(new Measurement("POST cancel answered (202), p50", answered.P50, "ms"));
        result.Latencies.Add(new LatencySeries("cancel → job.cancelled", false, landed));
        result.Latencies.Add(new LatencySeries("cancel answered", false, answered));
        result.Notes.Add($"{landed.Count} trials, each on a hanging demo.simulate job already running, one at a time.");
    }
}
