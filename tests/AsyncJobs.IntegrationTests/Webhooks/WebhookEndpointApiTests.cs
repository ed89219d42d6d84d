using System.Net;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Webhooks;

[Collection(WebhookCollectionDefinition.Name)]
public sealed class WebhookEndpointApiTests(WebhookTopologyFixture fixture) : WebhookScenario(fixture)
{
    private static readonly string[] TerminalTypes = ["job.succeeded", "job.failed"];

    [Theory]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00::1]/hook")]
    public async Task A_private_address_is_refused_with_callback_url_not_allowed(string url)
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);

        using var response = await tenant.PostEndpointAsync(new { url }, deadline.Token);

        var problem = await response.ReadAsync<JsonElement>(HttpStatusCode.BadRequest, deadline.Token);
        problem.GetProperty("type").GetString().ShouldBe("https://asyncjobs.dev/problems/callback-url-not-allowed");
        problem.GetProperty("errors").TryGetProperty("url", out _).ShouldBeTrue();
        (await ListEndpointsAsync(tenant, deadline.Token)).GetArrayLength().ShouldBe(0, "bad input changes nothing");
    }

    [Theory]
    [InlineData("""{"url":"not a url"}""", "url")]
    [InlineData("""{"url":"ftp://example.com/hook"}""", "url")]
    [InlineData("""{"eventTypes":["job.succeeded"]}""", "url")]
    [InlineData("""{"url":"https://example.com/hook","eventTypes":["job.finished"]}""", "eventTypes")]
    [InlineData("""{"url":"https://example.com/hook","eventTypes":["job.failed","job.failed"]}""", "eventTypes")]
    public async Task Bad_fields_are_named_in_a_validation_problem(string body, string field)
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);

        using var response = await tenant.Api.PostAsync("/webhooks/endpoints", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), deadline.Token);

        var problem = await response.ReadAsync<JsonElement>(HttpStatusCode.BadRequest, deadline.Token);
        problem.GetProperty("type").GetString().ShouldBe("https://asyncjobs.dev/problems/validation-failed");
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Endpoints_are_created_listed_read_without_their_secret_and_deleted()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);

        using var created = await tenant.PostEndpointAsync(
            new { url = "https://example.com/hooks", eventTypes = TerminalTypes, description = "billing" }, deadline.Token);
        var endpoint = await created.ReadAsync<CreatedEndpoint>(HttpStatusCode.Created, deadline.Token);
        created.Headers.Location!.ToString().ShouldBe($"/webhooks/endpoints/{endpoint.Id}");
        endpoint.EventTypes.ShouldBe(["job.succeeded", "job.failed"]);
        endpoint.Description.ShouldBe("billing");
        endpoint.Enabled.ShouldBeTrue();

        var listed = await ListEndpointsAsync(tenant, deadline.Token);
        listed.GetArrayLength().ShouldBe(1);
        listed[0].TryGetProperty("secret", out _).ShouldBeFalse("the secret is shown on creation and rotation only");
        using (var read = await tenant.Api.GetAsync($"/webhooks/endpoints/{endpoint.Id}", deadline.Token))
        {
            (await read.ReadAsync<JsonElement>(HttpStatusCode.OK, deadline.Token)).TryGetProperty("secret", out _).ShouldBeFalse();
        }

        using (var deleted = await tenant.Api.DeleteAsync($"/webhooks/endpoints/{endpoint.Id}", deadline.Token))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var gone = await tenant.Api.GetAsync($"/webhooks/endpoints/{endpoint.Id}", deadline.Token);
        (await gone.ReadAsync<JsonElement>(HttpStatusCode.NotFound, deadline.Token)).GetProperty("type").GetString()
            .ShouldBe("https://asyncjobs.dev/problems/webhook-endpoint-not-found");
    }

    [Fact]
    public async Task Another_tenants_endpoint_is_not_found_and_untouched()
    {
        using var deadline = StartDeadline();
        using var owner = await Fixture.NewTenantAsync(deadline.Token);
        using var stranger = await Fixture.NewTenantAsync(deadline.Token);
        var endpoint = await owner.CreateEndpointAsync(new Uri("https://example.com/owner"), null, deadline.Token);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/webhooks/endpoints/{endpoint.Id}"),
            (HttpMethod.Delete, $"/webhooks/endpoints/{endpoint.Id}"),
            (HttpMethod.Post, $"/webhooks/endpoints/{endpoint.Id}/rotate-secret"),
            (HttpMethod.Post, $"/webhooks/endpoints/{endpoint.Id}/enable"),
        })
        {
            using var response = await stranger.Api.SendAsync(new HttpRequestMessage(method, path), deadline.Token);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
        }

        (await ListEndpointsAsync(stranger, deadline.Token)).GetArrayLength().ShouldBe(0);
        (await owner.GetEndpointAsync(endpoint.Id, deadline.Token)).Url.ShouldBe("https://example.com/owner");
    }

    [Fact]
    public async Task A_job_token_cannot_manage_webhooks()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);
        var job = await tenant.SubmitQuickJobAsync(deadline.Token);
        using var withToken = Fixture.ApiAs(job.JobToken);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/webhooks/endpoints"),
            (HttpMethod.Post, "/webhooks/endpoints"),
            (HttpMethod.Get, "/webhooks/callback-secret"),
            (HttpMethod.Get, "/webhooks/deliveries"),
        })
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post)
            {
                request.Content = WebhookJson.Body(new { url = "https://example.com/hook" });
            }

            using var response = await withToken.SendAsync(request, deadline.Token);
            (await response.ReadAsync<JsonElement>(HttpStatusCode.Forbidden, deadline.Token)).GetProperty("type").GetString()
                .ShouldBe("https://asyncjobs.dev/problems/forbidden");
        }
    }

    [Fact]
    public async Task Bad_delivery_filters_are_named_in_a_validation_problem()
    {
        using var deadline = StartDeadline();
        using var tenant = await Fixture.NewTenantAsync(deadline.Token);

        using var response = await tenant.Api.GetAsync("/webhooks/deliveries?state=lost&endpointId=x&limit=0", deadline.Token);

        var errors = (await response.ReadAsync<JsonElement>(HttpStatusCode.BadRequest, deadline.Token)).GetProperty("errors");
        errors.TryGetProperty("state", out _).ShouldBeTrue();
        errors.TryGetProperty("endpointId", out _).ShouldBeTrue();
        errors.TryGetProperty("limit", out _).ShouldBeTrue();
    }

    private static async Task<JsonElement> ListEndpointsAsync(WebhookTenant tenant, CancellationToken cancellationToken)
    {
        using var response = await tenant.Api.GetAsync("/webhooks/endpoints", cancellationToken);
        return await response.ReadAsync<JsonElement>(HttpStatusCode.OK, cancellationToken);
    }
}
