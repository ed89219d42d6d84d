namespace AsyncJobs.Core.Handlers;

/// <summary>The outcome of validating a payload: errors keyed by the JSON path of the field.</summary>
public sealed record PayloadValidation(IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly PayloadValidation Valid = new(new Dictionary<string, string[]>());

    public bool IsValid => Errors.Count == 0;

    public static PayloadValidation Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}
