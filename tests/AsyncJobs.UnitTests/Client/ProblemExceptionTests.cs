using AsyncJobs.Client.Http;
using AsyncJobs.Client.Problems;
using Shouldly;

namespace AsyncJobs.UnitTests.Client;

public sealed class ProblemExceptionTests
{
    [Fact]
    public void A_problem_document_keeps_every_RFC_9457_field()
    {
        var problem = ProblemReader.Parse(
            """
            {"type":"https://asyncjobs.dev/problems/invalid-payload","title":"Invalid payload","status":400,
             "detail":"payload.steps: must be 1 to 1000.","instance":"/jobs","errors":{"payload.steps":["Must be 1 to 1000."],"type":"one"}}
            """,
            fallbackStatus: 500);

        problem.Type.ShouldBe(AsyncJobsProblemTypes.InvalidPayload);
        problem.Title.ShouldBe("Invalid payload");
        problem.Status.ShouldBe(400);
        problem.Detail.ShouldBe("payload.steps: must be 1 to 1000.");
        problem.Instance.ShouldBe("/jobs");
        problem.Errors["payload.steps"].ShouldBe(["Must be 1 to 1000."]);
        problem.Errors["type"].ShouldBe(["one"]);
    }

    [Fact]
    public void A_sparse_problem_falls_back_to_about_blank_and_the_status_line()
    {
        var problem = ProblemReader.Parse("{}", fallbackStatus: 503);

        problem.Type.ShouldBe("about:blank");
        problem.Status.ShouldBe(503);
        problem.Errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(400, typeof(AsyncJobsInvalidRequestException))]
    [InlineData(413, typeof(AsyncJobsInvalidRequestException))]
    [InlineData(415, typeof(AsyncJobsInvalidRequestException))]
    [InlineData(422, typeof(AsyncJobsInvalidRequestException))]
    [InlineData(401, typeof(AsyncJobsAccessDeniedException))]
    [InlineData(403, typeof(AsyncJobsAccessDeniedException))]
    [InlineData(404, typeof(AsyncJobsNotFoundException))]
    [InlineData(409, typeof(AsyncJobsConflictException))]
    [InlineData(429, typeof(AsyncJobsThrottledException))]
    [InlineData(503, typeof(AsyncJobsThrottledException))]
    [InlineData(500, typeof(AsyncJobsProblemException))]
    public void Each_status_family_has_its_exception(int status, Type expected)
    {
        var exception = AsyncJobsProblemException.For(new AsyncJobsProblem("about:blank", "t", status, "d", null, new Dictionary<string, string[]>()));

        exception.GetType().ShouldBe(expected);
        ((int)exception.StatusCode).ShouldBe(status);
    }
}
