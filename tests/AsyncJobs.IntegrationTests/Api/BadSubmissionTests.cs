using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Each malformed submission gets its own RFC 9457 problem naming the field, and writes nothing.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class BadSubmissionTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    public static TheoryData<string> Cases => new(BadSubmission.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_submission_gets_a_specific_problem_and_changes_nothing(string name)
    {
        var bad = BadSubmission.All.Single(c => c.Name == name);
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("bad-input", deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs" + bad.Query) { Content = bad.Content() };
        if (bad.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", bad.IdempotencyKey).ShouldBeTrue();
        }

        using var response = await tenant.Api.SendAsync(request, deadline.Token);

        await response.ShouldBeProblemAsync(bad.Status, bad.Kind, bad.Field, deadline.Token);
        await Rows.ShouldHaveNothingForAsync(tenant.Id, name, deadline.Token);
    }

    [Fact]
    public void The_table_covers_at_least_thirty_distinct_cases()
    {
        BadSubmission.All.Count.ShouldBeGreaterThanOrEqualTo(30);
        BadSubmission.All.Select(c => c.Name).ShouldBeUnique();
    }
}
