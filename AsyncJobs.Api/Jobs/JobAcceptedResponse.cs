namespace AsyncJobs.Api.Jobs;

/// <summary>The answer to an accepted submission.</summary>
/// <param name="JobToken">Grants read access to this one job (status and events); returned only here.</param>
public sealed record JobAcceptedResponse(Guid Id, string Status, DateTimeOffset CreatedAt, string JobToken, JobLinks Links);
