namespace AsyncJobs.Client.Jobs;

/// <summary>Optional settings of a submission.</summary>
public sealed record SubmitOptions
{
    /// <summary>The job's priority; <see cref="JobPriority.Normal"/> when null.</summary>
    public JobPriority? Priority { get; init; }

    /// <summary>How long one attempt may run, in seconds; the job type's default when null.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Attempts a retryable failure gets, the first included; the default when null.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Where to deliver signed webhooks about this job (a public http or https URL).</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>A free-form JSON object kept with the job (serialized with the client's JSON options).</summary>
    public object? Metadata { get; init; }

    /// <summary>
    /// The <c>Idempotency-Key</c> to send. When null, the client generates one per call, so every retry of that call
    /// (by the resilience handler or by Retry-After) reaches the API with the same key and can never create a second job.
    /// Give your own to make a submission safe across process restarts too.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
