using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Web;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>GET /jobs: a tenant's jobs newest first, filtered, in keyset pages that neither skip nor repeat.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class ListJobsTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    private static readonly string[] SummaryMembers = ["id", "type", "status", "priority", "attempt", "progress", "createdAt", "finishedAt", "links"];

    [Fact]
    public async Task Pages_of_two_walk_five_jobs_newest_first_each_exactly_once()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("list-pages", deadline.Token);
        var submitted = new List<SubmittedJob>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add(await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token));
        }

        var pages = new List<JobPage>();
        var url = "/jobs?limit=2";
        while (url is not null)
        {
            pages.Count.ShouldBeLessThan(5, "the walk does not end");
            using var response = await tenant.Api.GetAsync(url, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            using (var document = JsonDocument.Parse(text))
            {
                foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
                {
                    item.EnumerateObject().Select(p => p.Name).ShouldBe(SummaryMembers, ignoreOrder: true, text);
                }
            }

            var page = await response.ReadAsync<JobPage>(deadline.Token);
            pages.Add(page);
            (page.NextCursor is null).ShouldBe(page.Links.Next is null, "nextCursor and links.next come together");
            if (page.Links.Next is { } next)
            {
                var query = HttpUtility.ParseQueryString(new Uri(tenant.Api.BaseAddress!, next).Query);
                query["cursor"].ShouldBe(page.NextCursor, $"links.next {next} carries the cursor");
                query["limit"].ShouldBe("2", $"links.next {next} keeps the page size");
            }

            url = page.Links.Next;
        }

        pages.Select(p => p.Items.Count).ShouldBe([2, 2, 1]);
        var listed = pages.SelectMany(p => p.Items).ToList();
        listed.Select(j => j.Id).ShouldBe(submitted.Select(j => j.Id).Reverse(), "newest first, each job once");
        listed.Zip(listed.Skip(1)).ShouldAllBe(pair => pair.First.CreatedAt >= pair.Second.CreatedAt);
        listed.ShouldAllBe(j => j.Type == "demo.simulate" && j.Priority == "normal" && j.Links.Self == $"/jobs/{j.Id}");
    }

    [Fact]
    public async Task The_cursor_can_be_passed_by_hand()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("list-cursor", deadline.Token);
        var submitted = new List<SubmittedJob>();
        for (var i = 0; i < 3; i++)
        {
            submitted.Add(await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token));
        }

        var first = await tenant.ListAsync("?limit=1", deadline.Token);
        var second = await tenant.ListAsync($"?limit=2&cursor={Uri.EscapeDataString(first.NextCursor.ShouldNotBeNull())}", deadline.Token);

        first.Items.ShouldHaveSingleItem().Id.ShouldBe(submitted[2].Id);
        second.Items.Select(j => j.Id).ShouldBe([submitted[1].Id, submitted[0].Id]);
        second.NextCursor.ShouldBeNull("that was the last page");
        second.Links.Next.ShouldBeNull();
    }

    [Fact]
    public async Task Filters_by_state_type_and_creation_time()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("list-filters", deadline.Token);
        var first = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var deadLetter = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        var last = await tenant.SubmitAsync(DemoJobs.Quick("\"priority\":\"low\""), deadline.Token);
        foreach (var job in new[] { first, deadLetter, last })
        {
            await tenant.WaitForFinishAsync(job, deadline.Token);
        }

        var between = first.CreatedAt + ((deadLetter.CreatedAt - first.CreatedAt) / 2);
        between.ShouldBeGreaterThan(first.CreatedAt, "the jobs were created at distinct instants");
        var createdAfter = Uri.EscapeDataString(between.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));

        (await Ids("?state=failed")).ShouldBe([deadLetter.Id], "state=failed lists the dead letters");
        (await Ids("?state=succeeded")).ShouldBe([last.Id, first.Id]);
        (await Ids("?state=running")).ShouldBeEmpty();
        (await Ids("?type=demo.simulate")).ShouldBe([last.Id, deadLetter.Id, first.Id]);
        (await Ids("?state=failed&type=demo.simulate")).ShouldBe([deadLetter.Id]);
        (await Ids($"?createdAfter={createdAfter}")).ShouldBe([last.Id, deadLetter.Id]);
        (await Ids($"?createdAfter={createdAfter}&state=succeeded")).ShouldBe([last.Id]);

        var failed = (await tenant.ListAsync("?state=failed", deadline.Token)).Items.ShouldHaveSingleItem();
        failed.Status.ShouldBe("failed");
        failed.FinishedAt.ShouldNotBeNull();
        var low = (await tenant.ListAsync("?state=succeeded&limit=1", deadline.Token)).Items.ShouldHaveSingleItem();
        low.Priority.ShouldBe("low");
        low.Progress.Percent.ShouldBe(100);

        async Task<Guid[]> Ids(string query) => [.. (await tenant.ListAsync(query, deadline.Token)).Items.Select(j => j.Id)];
    }

    public static readonly TheoryData<string, string, string?> BadQueries = new()
    {
        { "?limit=0", "validation-failed", "limit" },
        { "?limit=101", "validation-failed", "limit" },
        { "?limit=x", "validation-failed", "limit" },
        { "?limit=-1", "validation-failed", "limit" },
        { "?state=done", "validation-failed", "state" },
        { "?createdAfter=yesterday", "validation-failed", "createdAfter" },
        { "?createdAfter=2026-13-45T00:00:00Z", "validation-failed", "createdAfter" },
        { "?cursor=garbage", "invalid-cursor", null },
        { "?cursor=eyJub3QiOiJhIGN1cnNvciJ9", "invalid-cursor", null },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_gets_a_problem_naming_the_parameter(string query, string kind, string? field)
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("list-bad-query", deadline.Token);

        using var response = await tenant.Api.GetAsync("/jobs" + query, deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, kind, field, deadline.Token);
    }

    [Fact]
    public async Task The_limits_of_limit_are_accepted()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("list-limits", deadline.Token);
        await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);

        (await tenant.ListAsync("?limit=1", deadline.Token)).Items.Count.ShouldBe(1);
        (await tenant.ListAsync("?limit=100", deadline.Token)).Items.Count.ShouldBe(2);
        var unbounded = await tenant.ListAsync(string.Empty, deadline.Token);
        unbounded.Items.Count.ShouldBe(2);
        unbounded.NextCursor.ShouldBeNull();
    }
}
