using System.Text.Json;
using AsyncJobs.Core.Handlers.BuiltIn;
using Shouldly;

namespace AsyncJobs.UnitTests.Handlers;

public sealed class DemoSimulatePayloadValidationTests
{
    private readonly DemoSimulateHandler handler = new();

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"steps":3,"stepDurationMs":10}""")]
    [InlineData("""{"steps":1,"failTimes":2}""")]
    [InlineData("""{"alwaysFail":true}""")]
    public void Valid_payloads_pass(string json) =>
        handler.Validate(JsonElement.Parse(json)).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("""{"steps":0}""", "payload.steps")]
    [InlineData("""{"steps":1001}""", "payload.steps")]
    [InlineData("""{"stepDurationMs":-1}""", "payload.stepDurationMs")]
    [InlineData("""{"steps":"many"}""", "payload.steps")]
    [InlineData("""{"hang":"yes"}""", "payload.hang")]
    [InlineData("""[1,2]""", "payload")]
    [InlineData("""42""", "payload")]
    public void Invalid_payloads_name_the_field(string json, string field)
    {
        var validation = handler.Validate(JsonElement.Parse(json));

        validation.IsValid.ShouldBeFalse();
        validation.Errors.Keys.ShouldContain(field);
    }
}
