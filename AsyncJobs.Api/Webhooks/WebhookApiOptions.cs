using System.ComponentModel.DataAnnotations;

namespace AsyncJobs.Api.Webhooks;

/// <summary>The API's side of the <c>Webhooks</c> section (the notifier binds the delivery settings from the same section).</summary>
public sealed class WebhookApiOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>How long an endpoint's previous secret keeps signing after a rotation, so receivers can switch over.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PreviousSecretLifetime { get; set; } = TimeSpan.FromHours(24);
}
