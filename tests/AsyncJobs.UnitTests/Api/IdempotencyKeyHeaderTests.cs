using AsyncJobs.Api.Jobs;
using Shouldly;

namespace AsyncJobs.UnitTests.Api;

public sealed class IdempotencyKeyHeaderTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", true)]
    [InlineData("order:42/attempt~1", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\tkey", false)]
    [InlineData("ünïcode", false)]
    public void Keys_are_printable_ascii_without_spaces(string key, bool valid) => IdempotencyKeyHeader.IsValid(key).ShouldBe(valid);

    [Fact]
    public void Keys_are_at_most_255_characters()
    {
        IdempotencyKeyHeader.IsValid(new string('k', 255)).ShouldBeTrue();
        IdempotencyKeyHeader.IsValid(new string('k', 256)).ShouldBeFalse();
    }
}
