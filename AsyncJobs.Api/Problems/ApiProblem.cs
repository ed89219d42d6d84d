using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AsyncJobs.Api.Problems;

/// <summary>An RFC 9457 problem the API answers with: a stable type per kind, and the offending fields when there are any.</summary>
public sealed record ApiProblem(int Status, string Type, string Title, string Detail, IDictionary<string, string[]>? Errors = null)
{
    public static ApiProblem Validation(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblem Invalid(IDictionary<string, string[]> errors, string type = ProblemTypes.ValidationFailed, string title = "The request is not valid") =>
        new(StatusCodes.Status400BadRequest, type, title, string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))), errors);

    public ProblemHttpResult ToResult() => TypedResults.Problem(Errors is null
        ? new ProblemDetails { Status = Status, Type = Type, Title = Title, Detail = Detail }
        : new ValidationProblemDetails(Errors) { Status = Status, Type = Type, Title = Title, Detail = Detail });
}
