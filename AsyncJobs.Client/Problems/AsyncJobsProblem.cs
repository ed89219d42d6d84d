namespace AsyncJobs.Client.Problems;

/// <summary>An RFC 9457 problem the AsyncJobs API answered with.</summary>
/// <param name="Type">A stable URI per kind of problem (see <see cref="AsyncJobsProblemTypes"/>); branch on it, not on the title.</param>
/// <param name="Title">A short human-readable summary of the kind.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">A human-readable explanation of this occurrence.</param>
/// <param name="Instance">A URI of this occurrence, when the API gives one.</param>
/// <param name="Errors">For bad input: the messages per field name; empty otherwise.</param>
public sealed record AsyncJobsProblem(
    string Type,
    string? Title,
    int Status,
    string? Detail,
    string? Instance,
    IReadOnlyDictionary<string, string[]> Errors);
