namespace AsyncJobs.Client.Jobs;

/// <summary>An accepted submission: what to follow the job with.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Status">The job's state when accepted (<see cref="JobStatus.Queued"/>).</param>
/// <param name="CreatedAt">When the job was accepted.</param>
/// <param name="JobToken">Grants read access to this one job (status, result, events) for a browser or a third party; returned only at submit.</param>
/// <param name="Links">Where to follow the job; <see cref="JobLinks.Events"/> is the SSE stream on the notifier.</param>
public sealed record JobHandle(Guid Id, JobStatus Status, DateTimeOffset CreatedAt, string JobToken, JobLinks Links)
{
    /// <summary>The <c>Idempotency-Key</c> the submission carried (generated once per call unless the caller gave one).</summary>
    public string IdempotencyKey { get; init; } = "";

    /// <summary>True when the API answered with the original job for an earlier request with the same key (<c>Idempotent-Replayed</c>).</summary>
    public bool Replayed { get; init; }
}
