using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Idempotency-Key: a retried submission answers the original job, never a second one; keys belong to a tenant.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class IdempotencyTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task The_same_key_and_body_replays_the_original_answer_without_a_second_job()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-replay", deadline.Token);
        var key = $"order-{Guid.NewGuid():N}";
        var body = DemoJobs.Steps(2, 10, "\"priority\":\"high\"");

        using var first = await tenant.PostJobAsync(body, deadline.Token, key);
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync(deadline.Token));
        first.Headers.Contains("Idempotent-Replayed").ShouldBeFalse("the first answer is not a replay");
        var original = await first.ReadAsync<SubmittedJob>(deadline.Token);

        using var again = await tenant.PostJobAsync(body, deadline.Token, key);

        again.StatusCode.ShouldBe(HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync(deadline.Token));
        again.Headers.GetValues("Idempotent-Replayed").ShouldHaveSingleItem().ShouldBe("true");
        var replayed = await again.ReadAsync<SubmittedJob>(deadline.Token);
        replayed.ShouldBe(original, "the same body: same id, status, createdAt, jobToken and links");
        again.Headers.Location?.OriginalString.ShouldBe($"/jobs/{original.Id}");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);

        using var byToken = ApiAs(replayed.JobToken);
        using var read = await byToken.GetAsync($"/jobs/{original.Id}", deadline.Token);
        read.StatusCode.ShouldBe(HttpStatusCode.OK, "the replayed job token is the job's real token");
    }

    [Fact]
    public async Task A_replay_after_the_job_finished_still_answers_the_original_job()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-finished", deadline.Token);
        var key = $"report-{Guid.NewGuid():N}";
        var body = DemoJobs.Quick();

        using var first = await tenant.PostJobAsync(body, deadline.Token, key);
        var original = await first.ReadAsync<SubmittedJob>(deadline.Token);
        (await tenant.WaitForFinishAsync(original, deadline.Token)).Status.ShouldBe("succeeded");

        using var again = await tenant.PostJobAsync(body, deadline.Token, key);

        again.StatusCode.ShouldBe(HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync(deadline.Token));
        again.Headers.GetValues("Idempotent-Replayed").ShouldHaveSingleItem().ShouldBe("true");
        (await again.ReadAsync<SubmittedJob>(deadline.Token)).ShouldBe(original);
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_rejected()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-reused", deadline.Token);
        var key = $"invoice-{Guid.NewGuid():N}";
        var original = await SubmitWithKeyAsync(tenant, DemoJobs.Steps(2, 10), key, deadline.Token);

        using var different = await tenant.PostJobAsync(DemoJobs.Steps(3, 10), deadline.Token, key);

        await different.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused", deadline.Token);
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
        (await tenant.GetJobAsync(original.Id, deadline.Token)).Id.ShouldBe(original.Id);
    }

    [Fact]
    public async Task Two_tenants_may_use_the_same_key_independently()
    {
        using var deadline = StartDeadline();
        await using var first = await NewTenantAsync("idem-tenant-a", deadline.Token);
        await using var second = await NewTenantAsync("idem-tenant-b", deadline.Token);
        var key = $"shared-{Guid.NewGuid():N}";
        var body = DemoJobs.Quick();

        using var a = await first.PostJobAsync(body, deadline.Token, key);
        using var b = await second.PostJobAsync(body, deadline.Token, key);

        a.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        b.StatusCode.ShouldBe(HttpStatusCode.Accepted, await b.Content.ReadAsStringAsync(deadline.Token));
        b.Headers.Contains("Idempotent-Replayed").ShouldBeFalse("the key is new for the second tenant");
        var jobA = await a.ReadAsync<SubmittedJob>(deadline.Token);
        var jobB = await b.ReadAsync<SubmittedJob>(deadline.Token);
        jobB.Id.ShouldNotBe(jobA.Id);
        (await Rows.CountJobsAsync(first.Id, deadline.Token)).ShouldBe(1);
        (await Rows.CountJobsAsync(second.Id, deadline.Token)).ShouldBe(1);

        // A different body under the same key is the second tenant's business only: no 422 across tenants.
        using var other = await second.PostJobAsync(DemoJobs.Steps(2, 0), deadline.Token, $"{key}-b");
        other.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_key_of_255_printable_characters_is_accepted()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-longest", deadline.Token);
        var printable = string.Concat(Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (char)c));
        var key = string.Concat(Enumerable.Repeat(printable, 3))[..255];

        var original = await SubmitWithKeyAsync(tenant, DemoJobs.Quick(), key, deadline.Token);
        using var again = await tenant.PostJobAsync(DemoJobs.Quick(), deadline.Token, key);

        again.StatusCode.ShouldBe(HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync(deadline.Token));
        (await again.ReadAsync<SubmittedJob>(deadline.Token)).Id.ShouldBe(original.Id);
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }

    [Fact]
    public async Task A_rejected_submission_does_not_use_up_its_key()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("idem-rejected", deadline.Token);
        var key = $"typo-{Guid.NewGuid():N}";

        using var rejected = await tenant.PostJobAsync(DemoJobs.Simulate("\"steps\":0"), deadline.Token, key);
        await rejected.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-payload", "payload.steps", deadline.Token);

        using var corrected = await tenant.PostJobAsync(DemoJobs.Quick(), deadline.Token, key);
        corrected.StatusCode.ShouldBe(HttpStatusCode.Accepted, await corrected.Content.ReadAsStringAsync(deadline.Token));
        corrected.Headers.Contains("Idempotent-Replayed").ShouldBeFalse("the rejected request recorded nothing under the key");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }

    private static async Task<SubmittedJob> SubmitWithKeyAsync(TestTenant tenant, string body, string key, CancellationToken cancellationToken)
    {
        using var response = await tenant.PostJobAsync(body, cancellationToken, key);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(cancellationToken));
        return await response.ReadAsync<SubmittedJob>(cancellationToken);
    }
}
