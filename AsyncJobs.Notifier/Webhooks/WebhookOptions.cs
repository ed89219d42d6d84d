using System.ComponentModel.DataAnnotations;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>How the notifier delivers webhooks (section <c>Webhooks</c>), validated at start-up.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(6),
        TimeSpan.FromHours(24),
    ];

    /// <summary>How long one attempt may take, from connecting to reading the start of the answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The waits before each retry (<c>Webhooks__RetrySchedule__0=00:00:05</c>, ...); the default when unset. Null rather than
    /// pre-filled: the configuration binder appends to a pre-filled list instead of replacing it.
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>Each retry wait is spread by up to ± this fraction.</summary>
    [Range(0.0, 1.0)]
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>An endpoint whose deliveries have all failed for this long is disabled, with the reason visible to its tenant.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DisableEndpointAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Deliver to loopback addresses (local development and tests only).</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Deliver to private and link-local addresses (a deployment whose receivers live inside its network).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Attempts one notifier has in flight at once.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>How often a dispatcher looks for due retries when no notification woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time between two reads of the fan-out, so a busy system turns many commits' events into deliveries
    /// per read and transaction; an idle fan-out still reads at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan FanOutMinimumReadInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the fan-out waits for a missing job event id before taking it for a rolled-back insert. Generous, because
    /// skipping an id whose transaction merely commits late would lose that event's webhooks for good.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan EventGapTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule is { Length: > 0 } schedule ? schedule : DefaultRetrySchedule;

    /// <summary>How long a claim keeps other notifiers off a delivery: the attempt's timeout plus room to record its outcome.</summary>
    public TimeSpan ClaimLease => Timeout + TimeSpan.FromSeconds(30);

    public WebhookRetrySchedule CreateRetrySchedule() => new(EffectiveRetrySchedule, RetryJitter);

    public CallbackAddressPolicy CreateAddressPolicy() => new(AllowLoopback, AllowPrivateNetworks);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetrySchedule is { } schedule && (schedule.Length > 50 || schedule.Any(d => d <= TimeSpan.Zero || d > TimeSpan.FromDays(7))))
        {
            yield return new ValidationResult("At most 50 retry delays, each above zero and at most 7 days.", [nameof(RetrySchedule)]);
        }
    }
}
