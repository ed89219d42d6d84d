namespace AsyncJobs.Core.Webhooks;

/// <summary>
/// When a failed delivery is tried again: the n-th failed attempt waits the n-th delay of the schedule, spread by
/// ± <c>jitter</c> (a fraction) so deliveries that failed together (a receiver outage) do not all return at once.
/// After as many retries as the schedule has delays, the delivery is dead-lettered.
/// </summary>
public sealed class WebhookRetrySchedule
{
    private readonly IReadOnlyList<TimeSpan> delays;
    private readonly double jitter;

    public WebhookRetrySchedule(IReadOnlyList<TimeSpan> delays, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        if (delays.Any(d => d <= TimeSpan.Zero))
        {
            throw new ArgumentException("Every retry delay must be positive.", nameof(delays));
        }

        this.delays = delays;
        this.jitter = jitter;
    }

    /// <summary>Attempts a delivery gets in all: the first, then one per delay.</summary>
    public int MaxAttempts => delays.Count + 1;

    /// <summary>The wait before the next attempt after <paramref name="attemptsMade"/> attempts failed, or null to dead-letter.</summary>
    /// <param name="attemptsMade">Attempts made so far, the failed one included (1 after the first attempt).</param>
    /// <param name="random">The source of jitter (<see cref="Random.Shared"/>, or a seeded one in tests).</param>
    public TimeSpan? DelayAfter(int attemptsMade, Random random)
    {
        if (attemptsMade < 1 || attemptsMade > delays.Count)
        {
            return null;
        }

        var spread = jitter * ((2 * random.NextDouble()) - 1);
        return delays[attemptsMade - 1] * (1 + spread);
    }
}
