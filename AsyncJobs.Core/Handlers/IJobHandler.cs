using System.Text.Json;

namespace AsyncJobs.Core.Handlers;

/// <summary>
/// A job type. Implement <see cref="JobHandler{TPayload, TResult}"/> rather than this interface:
/// it parses and validates the payload and serializes the result for you.
/// </summary>
public interface IJobHandler
{
    /// <summary>The job type name clients submit, e.g. <c>report.generate</c>.</summary>
    string Type { get; }

    /// <summary>Parses and validates a payload; the errors name the offending fields (empty when valid).</summary>
    PayloadValidation Validate(JsonElement payload);

    /// <summary>What the job would do, for a dry run (the payload is valid); null when the type has no plan.</summary>
    object? Plan(JsonElement payload);

    /// <summary>Runs one attempt and returns the result document as JSON.</summary>
    Task<string> ExecuteAsync(string payloadJson, JobContext context);
}
