using System.Globalization;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Jobs;

namespace AsyncJobs.Api.Jobs;

/// <summary>The filters and page of <c>GET /jobs</c>, parsed with a field-named problem for each bad value.</summary>
public sealed record JobListQuery(JobState? State, string? Type, DateTimeOffset? CreatedAfter, int Limit, JobCursor? Cursor)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static (JobListQuery? Query, ApiProblem? Problem) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        JobState? state = null;
        if (query["state"].ToString() is { Length: > 0 } stateText)
        {
            if (JobStateNames.TryParse(stateText, out var parsed))
            {
                state = parsed;
            }
            else
            {
                errors["state"] = ["Must be one of queued, running, retrying, succeeded, failed, cancelled."];
            }
        }

        DateTimeOffset? createdAfter = null;
        if (query["createdAfter"].ToString() is { Length: > 0 } createdText)
        {
            if (DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                createdAfter = parsed;
            }
            else
            {
                errors["createdAfter"] = ["Must be an ISO 8601 date and time, e.g. 2026-11-24T10:00:00Z."];
            }
        }

        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be an integer from 1 to {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return (null, ApiProblem.Invalid(errors, title: "Invalid list query"));
        }

        JobCursor? cursor = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursorText && !JobCursor.TryParse(cursorText, out cursor))
        {
            return (null, ApiProblem.Invalid(
                new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor this API returned; start again without one."] },
                ProblemTypes.InvalidCursor,
                "Invalid cursor"));
        }

        var type = query["type"].ToString();
        return (new JobListQuery(state, type.Length > 0 ? type : null, createdAfter, limit, cursor), null);
    }

    /// <summary>The query string of the next page: the same filters, after <paramref name="next"/>.</summary>
    public string NextPageQuery(JobCursor next)
    {
        var parts = new List<string> { $"limit={Limit}", $"cursor={next}" };
        if (State is { } state)
        {
            parts.Add($"state={state.ToName()}");
        }

        if (Type is not null)
        {
            parts.Add($"type={Uri.EscapeDataString(Type)}");
        }

        if (CreatedAfter is { } after)
        {
            parts.Add($"createdAfter={Uri.EscapeDataString(after.ToString("O", CultureInfo.InvariantCulture))}");
        }

        return string.Join('&', parts);
    }
}
