using System.Diagnostics;
using StackExchange.Redis;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>
/// <c>demo.simulate</c>: works through steps with progress, and can fail N times, always fail, or hang,
/// so demos, tests and benchmarks can drive every path of the runner.
/// </summary>
public sealed class DemoSimulateHandler(IConnectionMultiplexer? redis = null) : JobHandler<DemoSimulatePayload, DemoSimulateResult>
{
    // One round trip: count the start, count it as active, and keep the highest concurrency seen.
    private const string CountStart = """
        local active = redis.call('INCR', KEYS[1] .. ':active')
        redis.call('INCR', KEYS[1] .. ':started')
        if active > tonumber(redis.call('GET', KEYS[1] .. ':maxActive') or '0') then
            redis.call('SET', KEYS[1] .. ':maxActive', active)
        end
        return active
        """;

    public const string TypeName = "demo.simulate";

    public override string Type => TypeName;

    protected override object? Plan(DemoSimulatePayload payload) =>
        new DemoSimulatePlan(payload.Steps, (long)payload.Steps * payload.StepDurationMs, payload.FailTimes, payload.AlwaysFail, payload.Hang);

    public override async Task<DemoSimulateResult> ExecuteAsync(DemoSimulatePayload payload, JobContext context)
    {
        if (payload.ExecutionCounterKey is not { } counterKey || redis is null)
        {
            return await SimulateAsync(payload, context);
        }

        var database = redis.GetDatabase();
        await database.ScriptEvaluateAsync(CountStart, [counterKey]);
        try
        {
            return await SimulateAsync(payload, context);
        }
        finally
        {
            await database.StringDecrementAsync(counterKey + ":active");
        }
    }

    private static async Task<DemoSimulateResult> SimulateAsync(DemoSimulatePayload payload, JobContext context)
    {
        var clock = Stopwatch.StartNew();
        if (payload.AlwaysFail)
        {
            throw new JobFailedException("simulated_failure", "demo.simulate was asked to always fail.", retryable: false);
        }

        if (context.Attempt <= payload.FailTimes)
        {
            throw new JobFailedException("simulated_transient_failure", $"demo.simulate fails attempt {context.Attempt} of the first {payload.FailTimes}.", retryable: true);
        }

        if (payload.Hang)
        {
            context.ReportProgress(0, "Hanging until cancelled or timed out", "hang");
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        for (var step = 1; step <= payload.Steps; step++)
        {
            await Task.Delay(payload.StepDurationMs, context.CancellationToken);
            context.ReportProgress(step * 100 / payload.Steps, $"Step {step} of {payload.Steps} done", $"step-{step}");
        }

        return new DemoSimulateResult(payload.Steps, context.Attempt, clock.ElapsedMilliseconds);
    }
}
