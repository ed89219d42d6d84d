using System.Diagnostics;
using AsyncJobs.Core.Observability;
using AsyncJobs.ServiceDefaults;
using Shouldly;

namespace AsyncJobs.UnitTests.Observability;

public sealed class JobTelemetryTests
{
    private const string StoredTraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void Job_spans_and_metrics_use_the_names_the_service_defaults_export()
    {
        JobTelemetry.SourceName.ShouldBe(AsyncJobsTelemetry.ActivitySourceName);
        JobMetrics.MeterName.ShouldBe(AsyncJobsTelemetry.MeterName);
    }

    [Fact]
    public void The_stored_traceparent_is_the_remote_parent()
    {
        var parent = JobTelemetry.ParentOf(StoredTraceParent);

        parent.TraceId.ToHexString().ShouldBe("0af7651916cd43dd8448eb211c80319c");
        parent.SpanId.ToHexString().ShouldBe("b7ad6b7169203331");
        parent.TraceFlags.ShouldBe(ActivityTraceFlags.Recorded);
        parent.IsRemote.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("|legacy.hierarchical.id")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    public void A_job_without_a_valid_context_starts_its_own_trace(string? traceParent) =>
        JobTelemetry.ParentOf(traceParent).ShouldBe(default);

    [Fact]
    public void A_job_span_is_a_child_of_the_stored_context_and_names_the_job()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JobTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var jobId = Guid.CreateVersion7();

        using var span = JobTelemetry.StartJobActivity("job.run", ActivityKind.Consumer, StoredTraceParent, jobId, "order-42").ShouldNotBeNull();

        span.TraceId.ToHexString().ShouldBe("0af7651916cd43dd8448eb211c80319c");
        span.ParentSpanId.ToHexString().ShouldBe("b7ad6b7169203331");
        span.GetTagItem(JobTelemetry.JobIdTag).ShouldBe(jobId);
        span.GetTagItem(JobTelemetry.CorrelationIdTag).ShouldBe("order-42");
    }
}
