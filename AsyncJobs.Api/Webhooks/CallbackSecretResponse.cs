namespace AsyncJobs.Api.Webhooks;

/// <summary>The secret that signs deliveries to the tenant's per-job <c>callbackUrl</c>s.</summary>
public sealed record CallbackSecretResponse(string Secret);
