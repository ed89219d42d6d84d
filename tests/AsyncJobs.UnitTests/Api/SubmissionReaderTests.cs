using System.Text;
using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Problems;
using Microsoft.AspNetCore.Http;
using Shouldly;

namespace AsyncJobs.UnitTests.Api;

public sealed class SubmissionReaderTests
{
    private const int Limit = 1024;

    [Fact]
    public async Task A_well_formed_body_is_read_field_by_field()
    {
        var (body, problem) = await ReadAsync("""{"type":"demo.simulate","payload":{"steps":2},"priority":"high","timeoutSeconds":30,"maxAttempts":2,"metadata":{"a":1}}""");

        problem.ShouldBeNull();
        var request = body.ShouldNotBeNull().Request;
        request.Type.ShouldBe("demo.simulate");
        request.Payload.ShouldNotBeNull().GetProperty("steps").GetInt32().ShouldBe(2);
        request.Priority.ShouldBe("high");
        request.TimeoutSeconds.ShouldBe(30);
        request.MaxAttempts.ShouldBe(2);
        request.Metadata.ShouldNotBeNull().GetProperty("a").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData("text/plain", "{}", 415, ProblemTypes.UnsupportedMediaType, null)]
    [InlineData(null, "{}", 415, ProblemTypes.UnsupportedMediaType, null)]
    [InlineData("application/json", "", 400, ProblemTypes.MalformedJson, null)]
    [InlineData("application/json", "{\"type\":", 400, ProblemTypes.MalformedJson, null)]
    [InlineData("application/json", "[1]", 400, ProblemTypes.ValidationFailed, "body")]
    [InlineData("application/json", "{\"type\":5}", 400, ProblemTypes.ValidationFailed, "type")]
    [InlineData("application/json", "{\"maxAttempts\":\"three\"}", 400, ProblemTypes.ValidationFailed, "maxAttempts")]
    [InlineData("application/json", "{\"timeoutSeconds\":1.5}", 400, ProblemTypes.ValidationFailed, "timeoutSeconds")]
    [InlineData("application/json; charset=utf-8", "{\"priority\":[]}", 400, ProblemTypes.ValidationFailed, "priority")]
    public async Task Each_kind_of_bad_body_gets_its_problem(string? contentType, string json, int status, string type, string? field)
    {
        var (body, problem) = await ReadAsync(json, contentType);

        body.ShouldBeNull();
        problem.ShouldNotBeNull();
        problem.Status.ShouldBe(status);
        problem.Type.ShouldBe(type);
        if (field is not null)
        {
            problem.Errors.ShouldNotBeNull().Keys.ShouldContain(field);
        }
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_even_without_a_content_length()
    {
        var (_, problem) = await ReadAsync("{\"type\":\"" + new string('x', Limit) + "\"}", declareLength: false);

        problem.ShouldNotBeNull().Status.ShouldBe(413);
        problem.Type.ShouldBe(ProblemTypes.PayloadTooLarge);
    }

    private static Task<(SubmissionReader.Body? Body, ApiProblem? Problem)> ReadAsync(string json, string? contentType = "application/json", bool declareLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var http = new DefaultHttpContext();
        http.Request.ContentType = contentType;
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = declareLength ? bytes.Length : null;
        return SubmissionReader.ReadAsync(http.Request, Limit, TestContext.Current.CancellationToken);
    }
}
