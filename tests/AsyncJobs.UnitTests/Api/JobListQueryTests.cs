using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Shouldly;

namespace AsyncJobs.UnitTests.Api;

public sealed class JobListQueryTests
{
    [Fact]
    public void An_empty_query_lists_the_newest_twenty() =>
        Parse().Query.ShouldBe(new JobListQuery(null, null, null, JobListQuery.DefaultLimit, null));

    [Fact]
    public void Filters_are_parsed()
    {
        var (query, problem) = Parse(("state", "failed"), ("type", "demo.simulate"), ("createdAfter", "2026-11-24T10:00:00Z"), ("limit", "5"));

        problem.ShouldBeNull();
        query.ShouldBe(new JobListQuery(JobState.Failed, "demo.simulate", new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), 5, null));
    }

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "101")]
    [InlineData("limit", "x")]
    [InlineData("limit", "-1")]
    [InlineData("state", "done")]
    [InlineData("createdAfter", "yesterday")]
    public void Bad_values_name_their_field(string name, string value)
    {
        var problem = Parse((name, value)).Problem.ShouldNotBeNull();

        problem.Type.ShouldBe(ProblemTypes.ValidationFailed);
        problem.Errors.ShouldNotBeNull().Keys.ShouldBe([name]);
    }

    [Fact]
    public void A_bad_cursor_has_its_own_problem() =>
        Parse(("cursor", "garbage")).Problem.ShouldNotBeNull().Type.ShouldBe(ProblemTypes.InvalidCursor);

    [Fact]
    public void The_next_page_keeps_the_filters()
    {
        var query = Parse(("state", "failed"), ("limit", "2")).Query.ShouldNotBeNull();
        var next = new JobCursor(DateTimeOffset.UnixEpoch.AddDays(1), Guid.Empty);

        query.NextPageQuery(next).ShouldBe($"limit=2&cursor={next}&state=failed");
    }

    private static (JobListQuery? Query, ApiProblem? Problem) Parse(params (string Name, string Value)[] values) =>
        JobListQuery.Parse(new QueryCollection(values.ToDictionary(v => v.Name, v => new StringValues(v.Value))));
}
