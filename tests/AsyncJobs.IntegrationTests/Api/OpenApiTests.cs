using System.Net;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>The OpenAPI document and the Scalar UI are public and describe every job endpoint with its problem responses.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class OpenApiTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    public static readonly TheoryData<string, string, string[]> Operations = new()
    {
        { "post", "/jobs", ["202", "400", "401", "403", "413", "415", "422", "429", "503"] },
        { "get", "/jobs", ["200", "400", "401", "403"] },
        { "get", "/jobs/{id}", ["200", "304", "401", "404"] },
        { "get", "/jobs/{id}/result", ["200", "401", "404"] },
        { "post", "/jobs/{id}/cancel", ["200", "202", "401", "403", "404", "409"] },
        { "post", "/jobs/{id}/retry", ["202", "401", "403", "404", "409"] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_document_describes_the_operation_and_its_problems(string method, string path, string[] statuses)
    {
        using var deadline = StartDeadline();
        using var anonymous = AnonymousApi();

        using var response = await anonymous.GetAsync("/openapi/v1.json", deadline.Token);

        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        var paths = document.RootElement.GetProperty("paths");
        paths.TryGetProperty(path, out var item).ShouldBeTrue($"no path {path}; paths: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        item.TryGetProperty(method, out var operation).ShouldBeTrue($"no {method} on {path}");
        operation.TryGetProperty("summary", out var summary).ShouldBeTrue($"{method} {path} has no summary");
        summary.GetString().ShouldNotBeNullOrWhiteSpace();
        var responses = operation.GetProperty("responses");
        var listed = responses.EnumerateObject().Select(r => r.Name).ToList();
        statuses.ShouldBeSubsetOf(listed, $"{method} {path} lists {string.Join(", ", listed)}");
        foreach (var problem in listed.Where(s => s.StartsWith('4') || s.StartsWith('5')))
        {
            var content = responses.GetProperty(problem).TryGetProperty("content", out var c) ? c : default;
            (content.ValueKind == JsonValueKind.Object && content.TryGetProperty("application/problem+json", out _))
                .ShouldBeTrue($"{method} {path} {problem} is not described as application/problem+json");
        }
    }

    [Fact]
    public async Task The_scalar_ui_is_served()
    {
        using var deadline = StartDeadline();
        using var anonymous = AnonymousApi();

        using var response = await anonymous.GetAsync("/scalar", deadline.Token);
        var final = response;
        HttpResponseMessage? redirected = null;
        try
        {
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var location = response.Headers.Location.ShouldNotBeNull("a redirect without Location");
                new Uri(anonymous.BaseAddress!, location).AbsolutePath.ShouldStartWith("/scalar");
                redirected = await anonymous.GetAsync(location, deadline.Token);
                final = redirected;
            }

            final.StatusCode.ShouldBe(HttpStatusCode.OK);
            final.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
            (await final.Content.ReadAsStringAsync(deadline.Token)).ShouldContain("openapi/v1.json");
        }
        finally
        {
            redirected?.Dispose();
        }
    }
}
