using AsyncJobs.Api.Jobs;
using Shouldly;

namespace AsyncJobs.UnitTests.Api;

public sealed class JobCursorTests
{
    [Fact]
    public void A_cursor_round_trips_to_the_microsecond()
    {
        var cursor = new JobCursor(new DateTimeOffset(2026, 11, 24, 19, 34, 47, TimeSpan.Zero).AddTicks(8562010), Guid.CreateVersion7());

        JobCursor.TryParse(cursor.ToString(), out var parsed).ShouldBeTrue();

        parsed.ShouldBe(cursor);
    }

    [Theory]
    [InlineData("zzz")]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("MTIzNA")]
    [InlineData("LTEuMDFhMjBmMGRiYjMwN2FhZDllOGI2NWExZTkxNTI4NTE")]
    public void Garbage_is_not_a_cursor(string value) => JobCursor.TryParse(value, out _).ShouldBeFalse();
}
