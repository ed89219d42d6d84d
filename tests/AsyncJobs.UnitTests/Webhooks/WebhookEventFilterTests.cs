using AsyncJobs.Core.Webhooks;
using Shouldly;

namespace AsyncJobs.UnitTests.Webhooks;

public sealed class WebhookEventFilterTests
{
    [Theory]
    [InlineData(new string[0], "job.progress", true)]
    [InlineData(new string[0], "job.succeeded", true)]
    [InlineData(new[] { "job.succeeded" }, "job.succeeded", true)]
    [InlineData(new[] { "job.succeeded" }, "job.failed", false)]
    [InlineData(new[] { "job.succeeded", "job.failed" }, "job.failed", true)]
    [InlineData(new[] { "job.succeeded", "job.failed" }, "job.progress", false)]
    [InlineData(new[] { "job.succeeded" }, "JOB.SUCCEEDED", false)]
    public void An_endpoint_receives_the_types_it_lists_or_all_when_it_lists_none(string[] endpointTypes, string eventType, bool delivered) =>
        WebhookEventFilter.Matches(endpointTypes, eventType).ShouldBe(delivered);

    [Theory]
    [InlineData("job.queued", true)]
    [InlineData("job.running", true)]
    [InlineData("job.progress", false)]
    [InlineData("job.retrying", true)]
    [InlineData("job.succeeded", true)]
    [InlineData("job.failed", true)]
    [InlineData("job.cancelled", true)]
    public void A_job_callback_receives_every_state_change_but_not_progress(string eventType, bool delivered) =>
        WebhookEventFilter.MatchesJobCallback(eventType).ShouldBe(delivered);

    [Fact]
    public void The_known_types_are_the_seven_job_events() =>
        WebhookEventFilter.KnownTypes.Order().ShouldBe(["job.cancelled", "job.failed", "job.progress", "job.queued", "job.retrying", "job.running", "job.succeeded"]);
}
