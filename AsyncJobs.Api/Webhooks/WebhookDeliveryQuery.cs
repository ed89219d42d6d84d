using System.Globalization;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Api.Webhooks;

/// <summary>The filters of <c>GET /webhooks/deliveries</c>, parsed with a field-named problem for each bad value.</summary>
public sealed record WebhookDeliveryQuery(string? State, Guid? EndpointId, Guid? JobId, int Limit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static (WebhookDeliveryQuery? Query, ApiProblem? Problem) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        string? state = null;
        if (query["state"].ToString() is { Length: > 0 } stateText)
        {
            if (WebhookDeliveryStates.All.Contains(stateText, StringComparer.Ordinal))
            {
                state = stateText;
            }
            else
            {
                errors["state"] = [$"Must be one of {string.Join(", ", WebhookDeliveryStates.All)}."];
            }
        }

        var endpointId = ParseId(query, "endpointId", errors);
        var jobId = ParseId(query, "jobId", errors);
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be an integer from 1 to {MaxLimit}."];
        }

        return errors.Count > 0
            ? (null, ApiProblem.Invalid(errors))
            : (new WebhookDeliveryQuery(state, endpointId, jobId, limit), null);
    }

    private static Guid? ParseId(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
        {
            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        errors[name] = ["Must be an id (a UUID)."];
        return null;
    }
}
