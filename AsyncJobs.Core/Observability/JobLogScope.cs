using Microsoft.Extensions.Logging;

namespace AsyncJobs.Core.Observability;

/// <summary>
/// The logging scope of work about one job: every line written inside it carries the job id and the caller's
/// correlation id (and, through OpenTelemetry, the trace id of the job's trace when a job span is current).
/// </summary>
public static class JobLogScope
{
    public const string JobId = "JobId";
    public const string CorrelationId = "CorrelationId";

    public static IDisposable? BeginJobScope(this ILogger logger, Guid jobId, string? correlationId, params (string Key, object? Value)[] more)
    {
        var state = new Dictionary<string, object?>(2 + more.Length) { [JobId] = jobId, [CorrelationId] = correlationId };
        foreach (var (key, value) in more)
        {
            state[key] = value;
        }

        return logger.BeginScope(state);
    }
}
