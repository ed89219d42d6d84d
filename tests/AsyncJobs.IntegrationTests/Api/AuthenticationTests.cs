using System.Diagnostics;
using System.Net;
using AsyncJobs.Core.Tenants;
using AsyncJobs.IntegrationTests.Topology;
using Npgsql;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Every job endpoint needs an API key, as a Bearer token or in X-Api-Key; anything else is a 401 problem with a challenge.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class AuthenticationTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    public static readonly TheoryData<string, string> ProtectedEndpoints = new()
    {
        { "POST", "/jobs" },
        { "GET", "/jobs" },
        { "GET", "/jobs/0196f6c4-0000-7000-8000-000000000001" },
        { "GET", "/jobs/0196f6c4-0000-7000-8000-000000000001/result" },
        { "POST", "/jobs/0196f6c4-0000-7000-8000-000000000001/cancel" },
        { "POST", "/jobs/0196f6c4-0000-7000-8000-000000000001/retry" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task A_request_without_credentials_is_challenged(string method, string path)
    {
        using var deadline = StartDeadline();
        using var anonymous = AnonymousApi();

        using var response = await anonymous.SendAsync(Request(method, path), deadline.Token);

        await ShouldBeChallengedAsync(response, deadline.Token);
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task A_request_with_an_unknown_key_is_challenged(string method, string path)
    {
        using var deadline = StartDeadline();
        using var api = ApiAs("ajk_" + new string('0', 43));

        using var response = await api.SendAsync(Request(method, path), deadline.Token);

        await ShouldBeChallengedAsync(response, deadline.Token);
    }

    [Fact]
    public async Task An_unknown_key_in_x_api_key_is_challenged()
    {
        using var deadline = StartDeadline();
        using var anonymous = AnonymousApi();
        using var request = Request("GET", "/jobs");
        request.Headers.Add("X-Api-Key", "ajk_not-a-key");

        using var response = await anonymous.SendAsync(request, deadline.Token);

        await ShouldBeChallengedAsync(response, deadline.Token);
    }

    [Fact]
    public async Task The_admin_key_is_not_an_api_key()
    {
        using var deadline = StartDeadline();
        using var api = ApiAs(Topology.AdminKey);

        using var response = await api.GetAsync("/jobs", deadline.Token);

        await ShouldBeChallengedAsync(response, deadline.Token);
    }

    [Fact]
    public async Task A_tenant_key_works_in_x_api_key_as_well_as_bearer()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("auth-x-api-key", deadline.Token);
        using var anonymous = AnonymousApi();

        using var submit = Request("POST", "/jobs");
        submit.Content = ApiJson.Body(DemoJobs.Quick());
        submit.Headers.Add("X-Api-Key", tenant.ApiKey);
        using var submitted = await anonymous.SendAsync(submit, deadline.Token);
        submitted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync(deadline.Token));
        var job = await submitted.ReadAsync<SubmittedJob>(deadline.Token);

        using var read = Request("GET", $"/jobs/{job.Id}");
        read.Headers.Add("X-Api-Key", tenant.ApiKey);
        using var viaHeader = await anonymous.SendAsync(read, deadline.Token);
        viaHeader.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await viaHeader.ReadAsync<JobDocument>(deadline.Token)).Id.ShouldBe(job.Id);

        (await tenant.GetJobAsync(job.Id, deadline.Token)).Id.ShouldBe(job.Id, "the same key as a Bearer token");
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_once_the_cached_caller_expires()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("auth-revoked", deadline.Token);
        using (var before = await tenant.Api.GetAsync("/jobs", deadline.Token))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK, "the key works before it is revoked (and its caller is now cached)");
        }

        await using (var dataSource = NpgsqlDataSource.Create(Topology.JobsDbConnectionString))
        await using (var revoke = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = now() WHERE tenant_id = @tenant"))
        {
            revoke.Parameters.AddWithValue("tenant", tenant.Id);
            (await revoke.ExecuteNonQueryAsync(deadline.Token)).ShouldBe(1);
        }

        var revokedAt = Stopwatch.StartNew();
        while (true)
        {
            using var response = await tenant.Api.GetAsync("/jobs", deadline.Token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                await ShouldBeChallengedAsync(response, deadline.Token);
                break;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }

        // The cache's bound, with room for a loaded machine; the point is that a cached caller does not outlive it for long.
        revokedAt.Elapsed.ShouldBeLessThan(ApiKeyCache.Lifetime + TimeSpan.FromSeconds(5));
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? ApiJson.Body(DemoJobs.Quick()) : null,
    };

    private static async Task ShouldBeChallengedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", cancellationToken);
        response.Headers.WwwAuthenticate.ShouldNotBeEmpty($"{ApiJson.Describe(response)} has no WWW-Authenticate");
        response.Headers.WwwAuthenticate.ShouldContain(challenge => challenge.Scheme == "Bearer");
    }
}
