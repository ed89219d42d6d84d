using System.Text.Json;
using AsyncJobs.Client.Problems;
using Spectre.Console;

namespace AsyncJobs.Cli.Output;

/// <summary>Prints an RFC 9457 problem the API answered, and maps it to an exit code.</summary>
public static class ProblemView
{
    public static int ExitCodeOf(AsyncJobsProblem problem) => problem.Status switch
    {
        400 or 413 or 415 or 422 => ExitCodes.InvalidInput,
        401 or 403 => ExitCodes.AccessDenied,
        429 or 503 => ExitCodes.Throttled,
        >= 500 => ExitCodes.Unavailable,
        _ => ExitCodes.Refused,
    };

    /// <summary>On stderr: the problem document itself with <c>--json</c>; otherwise title, detail, the field errors and the type.</summary>
    public static void Write(CliOutput output, AsyncJobsProblemException exception)
    {
        var problem = exception.Problem;
        if (output.Json)
        {
            var document = new Dictionary<string, object?>
            {
                ["type"] = problem.Type,
                ["title"] = problem.Title,
                ["status"] = problem.Status,
                ["detail"] = problem.Detail,
            };
            if (problem.Instance is not null)
            {
                document["instance"] = problem.Instance;
            }

            if (problem.Errors.Count > 0)
            {
                document["errors"] = problem.Errors;
            }

            if (exception.RetryAfter is { } retryAfter)
            {
                document["retryAfterSeconds"] = (int)Math.Ceiling(retryAfter.TotalSeconds);
            }

            Console.Error.WriteLine(JsonSerializer.Serialize(document, CliJson.Line));
            return;
        }

        var error = output.Error;
        error.Write(new Text($"Error {problem.Status}: {problem.Title ?? problem.Type}", new Style(Color.Red, decoration: Decoration.Bold)));
        error.WriteLine();
        // The API's detail often repeats the field errors listed below.
        if (problem.Detail is { Length: > 0 } detail && !problem.Errors.Values.SelectMany(m => m).Any(detail.Contains))
        {
            error.Write(new Text("  " + detail));
            error.WriteLine();
        }

        foreach (var (field, messages) in problem.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var message in messages)
            {
                error.Write(new Text($"  - {field}: {message}", new Style(Color.Yellow)));
                error.WriteLine();
            }
        }

        if (exception.RetryAfter is { } wait)
        {
            error.Write(new Text($"  Try again in {Math.Ceiling(wait.TotalSeconds)} s (Retry-After)."));
            error.WriteLine();
        }

        error.Write(new Text($"  ({problem.Type})", new Style(Color.Grey)));
        error.WriteLine();
    }
}
