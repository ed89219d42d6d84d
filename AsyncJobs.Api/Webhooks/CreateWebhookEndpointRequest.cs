namespace AsyncJobs.Api.Webhooks;

/// <summary>A webhook endpoint to create.</summary>
/// <param name="Url">Where to POST signed events: an absolute http or https URL on a public address.</param>
/// <param name="EventTypes">The event types to deliver (e.g. <c>job.succeeded</c>); omitted or empty for all.</param>
/// <param name="Description">A note for the tenant (up to 500 characters).</param>
public sealed record CreateWebhookEndpointRequest(string? Url, IReadOnlyList<string>? EventTypes = null, string? Description = null);
