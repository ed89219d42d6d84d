namespace AsyncJobs.ServiceDefaults;

/// <summary>
/// Names under which AsyncJobs' own spans and metrics are published. <c>AddServiceDefaults</c>
/// subscribes to both, so an <c>ActivitySource</c> or <c>Meter</c> created with these names in any
/// service reaches the exporter without further wiring.
/// </summary>
public static class AsyncJobsTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name for AsyncJobs spans.</summary>
    public const string ActivitySourceName = "AsyncJobs";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name for AsyncJobs metrics.</summary>
    public const string MeterName = "AsyncJobs";
}
