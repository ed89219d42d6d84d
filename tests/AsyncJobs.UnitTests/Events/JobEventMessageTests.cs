using System.Text.Json;
using AsyncJobs.Core.Events;
using Shouldly;

namespace AsyncJobs.UnitTests.Events;

public sealed class JobEventMessageTests
{
    [Fact]
    public void Data_travels_as_embedded_json_and_round_trips()
    {
        var message = new JobEventMessage(42, Guid.NewGuid(), Guid.NewGuid(), 3, JobEventTypes.Progress, """{"percent":50,"nested":{"a":[1,2]}}""");

        var json = message.ToJson();
        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("data").GetProperty("nested").GetProperty("a")[1].GetInt32().ShouldBe(2);

        var back = JobEventMessage.FromJson(json).ShouldNotBeNull();
        back.EventId.ShouldBe(42);
        back.Sequence.ShouldBe(3);
        back.JobId.ShouldBe(message.JobId);
        JsonDocument.Parse(back.Data).RootElement.GetProperty("percent").GetInt32().ShouldBe(50);
    }

    [Theory]
    [InlineData(JobEventTypes.Succeeded, true)]
    [InlineData(JobEventTypes.Failed, true)]
    [InlineData(JobEventTypes.Cancelled, true)]
    [InlineData(JobEventTypes.Running, false)]
    [InlineData(JobEventTypes.Retrying, false)]
    [InlineData(JobEventTypes.Progress, false)]
    public void Only_outcomes_end_a_stream(string type, bool terminal) =>
        JobEventTypes.IsTerminal(type).ShouldBe(terminal);
}
