using AsyncJobs.Core.Tenants;
using Shouldly;

namespace AsyncJobs.UnitTests.Tenants;

public sealed class JobTokenTests
{
    [Fact]
    public void A_token_names_its_job()
    {
        var jobId = Guid.CreateVersion7();

        var token = JobToken.Issue(jobId);

        token.ShouldStartWith("ajt_");
        token.Length.ShouldBe(4 + 54, "40 bytes in unpadded base64url");
        token[4..].ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_', "safe in a URL query without escaping");
        JobToken.TryReadJobId(token, out var named).ShouldBeTrue();
        named.ShouldBe(jobId);
    }

    [Fact]
    public void Two_tokens_for_one_job_differ_in_their_secret()
    {
        var jobId = Guid.CreateVersion7();

        JobToken.Issue(jobId).ShouldNotBe(JobToken.Issue(jobId));
    }

    [Fact]
    public void A_token_is_read_as_written()
    {
        JobToken.TryReadJobId("ajt_AZr1V2R411qW3nq0n8Hn2gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", out var named).ShouldBeTrue();
        named.ShouldBe(Guid.Parse("019af557-6478-d75a-96de-7ab49fc1e7da"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ajt_")]
    [InlineData("ajk_AZr1V2R411qW3nq0n8Hn2gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ajt_0000000000000000000000000000000000000000000")]
    [InlineData("ajt_AZr1V2R411qW3nq0n8Hn2gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ajt_AZr1V2R411qW3nq0n8Hn2gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ajt_AZr1V2R411qW3nq0n8Hn2g!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_else_names_no_job(string token)
    {
        JobToken.TryReadJobId(token, out var named).ShouldBeFalse();
        named.ShouldBe(Guid.Empty);
    }
}
