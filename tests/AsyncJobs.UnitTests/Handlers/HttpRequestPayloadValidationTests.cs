using System.Text.Json;
using AsyncJobs.Core.Handlers.BuiltIn;
using Shouldly;

namespace AsyncJobs.UnitTests.Handlers;

public sealed class HttpRequestPayloadValidationTests : IDisposable
{
    private readonly HttpRequestJobServices services = new();

    public void Dispose() => services.Dispose();

    [Theory]
    [InlineData("""{"url":"https://example.com"}""")]
    [InlineData("""{"url":"http://example.com:8080/a/b?c=d","method":"DELETE","timeoutSeconds":1}""")]
    [InlineData("""{"url":"https://example.com/hooks","method":"POST","body":{"a":[1,2]},"headers":{"X-Api-Key":"k","Content-Type":"application/vnd.api+json"},"timeoutSeconds":300,"expectStatus":[200,202]}""")]
    [InlineData("""{"url":"https://example.com","method":"PUT","body":"text is JSON too"}""")]
    [InlineData("""{"url":"https://example.com","expectStatus":[100,599]}""")]
    public void Valid_payloads_pass(string json)
    {
        var validation = services.Handler.Validate(JsonElement.Parse(json));

        validation.IsValid.ShouldBeTrue(string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    [Theory]
    [InlineData("""{}""", "payload.url")]
    [InlineData("""{"url":null}""", "payload.url")]
    [InlineData("""{"url":""}""", "payload.url")]
    [InlineData("""{"url":5}""", "payload.url")]
    [InlineData("""{"url":"not a url"}""", "payload.url")]
    [InlineData("""{"url":"example.com/path"}""", "payload.url")]
    [InlineData("""{"url":"/relative/path"}""", "payload.url")]
    [InlineData("""{"url":"ftp://example.com/file.txt"}""", "payload.url")]
    [InlineData("""{"url":"file:///etc/passwd"}""", "payload.url")]
    [InlineData("""{"url":"https://user:secret@example.com/"}""", "payload.url")]
    [InlineData("""{"url":"https://example.com","method":"PATCH"}""", "payload.method")]
    [InlineData("""{"url":"https://example.com","method":"get"}""", "payload.method")]
    [InlineData("""{"url":"https://example.com","timeoutSeconds":0}""", "payload.timeoutSeconds")]
    [InlineData("""{"url":"https://example.com","timeoutSeconds":301}""", "payload.timeoutSeconds")]
    [InlineData("""{"url":"https://example.com","body":{"a":1}}""", "payload.body")]
    [InlineData("""{"url":"https://example.com","headers":{"Bad Name":"x"}}""", "payload.headers")]
    [InlineData("""{"url":"https://example.com","headers":{"X-Split":"a\r\nInjected: b"}}""", "payload.headers")]
    [InlineData("""{"url":"https://example.com","headers":{"Host":"internal.example"}}""", "payload.headers")]
    [InlineData("""{"url":"https://example.com","headers":{"Content-Type":"text/plain"}}""", "payload.headers")]
    [InlineData("""{"url":"https://example.com","headers":["X-A"]}""", "payload.headers")]
    [InlineData("""{"url":"https://example.com","expectStatus":[99]}""", "payload.expectStatus")]
    [InlineData("""{"url":"https://example.com","expectStatus":[600]}""", "payload.expectStatus")]
    public void Invalid_payloads_name_the_field(string json, string field)
    {
        var validation = services.Handler.Validate(JsonElement.Parse(json));

        validation.IsValid.ShouldBeFalse();
        validation.Errors.Keys.ShouldContain(field);
    }

    [Fact]
    public void An_overlong_url_is_refused() =>
        services.Handler.Validate(JsonElement.Parse($$"""{"url":"https://example.com/{{new string('a', 2048)}}"}""")).Errors.Keys.ShouldContain("payload.url");

    [Fact]
    public void A_non_http_url_says_what_is_accepted() =>
        services.Handler.Validate(JsonElement.Parse("""{"url":"ftp://example.com"}""")).Errors["payload.url"].ShouldBe(["Use an absolute http or https URL."]);

    [Fact]
    public void The_plan_is_the_call_with_its_defaults() =>
        services.Handler.Plan(JsonElement.Parse("""{"url":"https://example.com/a"}""")).ShouldBe(new HttpRequestPlan("GET", "https://example.com/a", 30));
}
