using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace AsyncJobs.Core.Handlers;

/// <summary>
/// Base class for a job type with a typed payload (validated with data annotations, plus
/// <see cref="ValidatePayload"/> for rules across fields) and a typed result.
/// </summary>
public abstract class JobHandler<TPayload, TResult> : IJobHandler
    where TPayload : class
{
    public abstract string Type { get; }

    public abstract Task<TResult> ExecuteAsync(TPayload payload, JobContext context);

    /// <summary>A dry run's answer: what the job would do with this payload (steps, estimates). Null by default.</summary>
    protected virtual object? Plan(TPayload payload) => null;

    public object? Plan(JsonElement payload) =>
        payload.Deserialize<TPayload>(JobsJson.Options) is { } parsed ? Plan(parsed) : null;

    /// <summary>Rules that data annotations cannot express; return (field, message) pairs.</summary>
    protected virtual IEnumerable<(string Field, string Message)> ValidatePayload(TPayload payload) => [];

    public PayloadValidation Validate(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return PayloadValidation.Invalid("payload", "The payload must be a JSON object.");
        }

        TPayload? parsed;
        try
        {
            parsed = payload.Deserialize<TPayload>(JobsJson.Options);
        }
        catch (JsonException exception)
        {
            var field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "payload" : "payload" + exception.Path.TrimStart('$');
            return PayloadValidation.Invalid(field, "The value has the wrong type or shape.");
        }

        if (parsed is null)
        {
            return PayloadValidation.Invalid("payload", "The payload is required.");
        }

        var errors = new Dictionary<string, List<string>>();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(parsed, new ValidationContext(parsed), results, validateAllProperties: true);
        var failures = results.SelectMany(r => r.MemberNames.DefaultIfEmpty(string.Empty).Select(m => (Field: m, Message: r.ErrorMessage ?? "Invalid value.")))
            .Concat(ValidatePayload(parsed));
        foreach (var (field, message) in failures)
        {
            var key = string.IsNullOrEmpty(field) ? "payload" : "payload." + JsonNamingPolicy.CamelCase.ConvertName(field);
            if (!errors.TryGetValue(key, out var messages))
            {
                errors[key] = messages = [];
            }

            messages.Add(message);
        }

        return new PayloadValidation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    public async Task<string> ExecuteAsync(string payloadJson, JobContext context)
    {
        var payload = JsonSerializer.Deserialize<TPayload>(payloadJson, JobsJson.Options)
            ?? throw new JobFailedException("invalid_payload", "The stored payload is empty.", retryable: false);
        var result = await ExecuteAsync(payload, context);
        return JsonSerializer.Serialize(result, JobsJson.Options);
    }
}
