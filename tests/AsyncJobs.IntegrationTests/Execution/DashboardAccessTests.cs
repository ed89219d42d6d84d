using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>The Hangfire dashboard: HTTP Basic with an API key (read-only) or the admin key (full access).</summary>
[Collection(ExecutionCollectionDefinition.Name)]
public sealed class DashboardAccessTests(ExecutionTopologyFixture fixture) : ExecutionScenario(fixture)
{
    [Fact]
    public async Task Without_a_valid_key_the_dashboard_asks_for_basic_credentials()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await Fixture.EnsureRunningAsync("worker", cancellationToken);
        using var worker = Fixture.WorkerClient();

        using var anonymous = await worker.GetAsync("/hangfire", cancellationToken);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        anonymous.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Basic");

        using var wrong = await GetAsync(worker, "/hangfire", "ajk_not_a_key", cancellationToken);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tenant_api_key_opens_a_read_only_dashboard_and_the_admin_key_a_full_one()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await Fixture.EnsureRunningAsync("worker", cancellationToken);
        using var worker = Fixture.WorkerClient();

        using var viewerPage = await GetAsync(worker, "/hangfire/jobs/succeeded", Fixture.Topology.ApiKey, cancellationToken);
        using var adminPage = await GetAsync(worker, "/hangfire/jobs/succeeded", Fixture.Topology.AdminKey, cancellationToken);
        viewerPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        adminPage.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Commands (delete, requeue) are refused to read-only callers and accepted from the admin.
        using var viewerCommand = await PostAsync(worker, "/hangfire/jobs/succeeded/requeue", Fixture.Topology.ApiKey, cancellationToken);
        using var adminCommand = await PostAsync(worker, "/hangfire/jobs/succeeded/requeue", Fixture.Topology.AdminKey, cancellationToken);
        viewerCommand.IsSuccessStatusCode.ShouldBeFalse($"a read-only caller's command answered {viewerCommand.StatusCode}");
        adminCommand.IsSuccessStatusCode.ShouldBeTrue($"the admin's command answered {adminCommand.StatusCode}");
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient worker, string path, string password, CancellationToken cancellationToken) =>
        worker.SendAsync(WithBasic(new HttpRequestMessage(HttpMethod.Get, path), password), cancellationToken);

    /// <summary>A dashboard command for a job id that does not exist: it changes nothing, but shows whether commands are allowed.</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient worker, string path, string password, CancellationToken cancellationToken) =>
        worker.SendAsync(
            WithBasic(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("jobs[]", "0")]) }, password),
            cancellationToken);

    private static HttpRequestMessage WithBasic(HttpRequestMessage request, string password)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{password}")));
        return request;
    }
}
