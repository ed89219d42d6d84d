using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Api.Webhooks;

/// <summary>
/// Checks a new endpoint: a well-formed URL on an address the deployment allows (the same policy, and the same
/// <c>Submission</c> settings, as a job's <c>callbackUrl</c>), known event types, a short description. The notifier
/// checks the resolved address again at every delivery, as a name can later resolve elsewhere.
/// </summary>
public sealed class WebhookEndpointValidation(SubmissionOptions submission)
{
    private const int MaxUrlLength = 2048;
    private const int MaxDescriptionLength = 500;

    private readonly CallbackAddressPolicy policy = new(submission.AllowLoopbackCallbacks, submission.AllowPrivateNetworkCallbacks);

    public ApiProblem? Validate(CreateWebhookEndpointRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        Uri? url = null;
        if (string.IsNullOrWhiteSpace(request.Url) || request.Url.Length > MaxUrlLength ||
            !Uri.TryCreate(request.Url, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors["url"] = [$"An absolute http or https URL of at most {MaxUrlLength} characters is required."];
        }

        if (request.EventTypes is { } types)
        {
            var unknown = types.Where(t => t is null || !WebhookEventFilter.KnownTypes.Contains(t)).ToList();
            if (unknown.Count > 0)
            {
                errors["eventTypes"] = [$"Unknown event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", WebhookEventFilter.KnownTypes)}."];
            }
            else if (types.Distinct(StringComparer.Ordinal).Count() != types.Count)
            {
                errors["eventTypes"] = ["Each event type may appear once."];
            }
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"At most {MaxDescriptionLength} characters."];
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid(errors);
        }

        return policy.IsAllowed(url!)
            ? null
            : ApiProblem.Invalid(
                new Dictionary<string, string[]> { ["url"] = ["Webhooks to loopback, private and link-local addresses are not allowed."] },
                ProblemTypes.CallbackUrlNotAllowed,
                "Webhook URL not allowed");
    }
}
