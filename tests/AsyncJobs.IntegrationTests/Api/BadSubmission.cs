using System.Net;
using System.Text;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>One malformed POST /jobs and the problem it must get: status, problem kind, and the field it names.</summary>
public sealed record BadSubmission(string Name, HttpStatusCode Status, string Kind, string? Field)
{
    private const string Valid = """{"type":"demo.simulate","payload":{"steps":1,"stepDurationMs":0}}""";

    public string Body { get; init; } = Valid;

    /// <summary>The Content-Type media type; null sends the body with no Content-Type at all.</summary>
    public string? MediaType { get; init; } = "application/json";

    public string Query { get; init; } = string.Empty;

    public string? IdempotencyKey { get; init; }

    public static readonly IReadOnlyList<BadSubmission> All =
    [
        // The body as a whole.
        new("malformed JSON: cut short", HttpStatusCode.BadRequest, "malformed-json", null) { Body = """{"type":"demo.simulate","payload":{"steps":1""" },
        new("malformed JSON: unquoted names", HttpStatusCode.BadRequest, "malformed-json", null) { Body = "{type: demo.simulate, payload: {}}" },
        new("malformed JSON: trailing garbage", HttpStatusCode.BadRequest, "malformed-json", null) { Body = Valid + "}" },
        new("empty body", HttpStatusCode.BadRequest, "malformed-json", null) { Body = string.Empty },
        new("content type text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", null) { MediaType = "text/plain" },
        new("content type form", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", null) { MediaType = "application/x-www-form-urlencoded", Body = "type=demo.simulate&payload=x" },
        new("no content type", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", null) { MediaType = null },
        new("body over the 1 MiB limit", HttpStatusCode.RequestEntityTooLarge, "payload-too-large", null) { Body = OversizedBody() },
        new("body is an array", HttpStatusCode.BadRequest, "validation-failed", null) { Body = "[" + Valid + "]" },
        new("body is a string", HttpStatusCode.BadRequest, "validation-failed", null) { Body = "\"demo.simulate\"" },
        new("body is a number", HttpStatusCode.BadRequest, "validation-failed", null) { Body = "42" },
        new("body is null", HttpStatusCode.BadRequest, "validation-failed", null) { Body = "null" },

        // type
        new("type missing", HttpStatusCode.BadRequest, "validation-failed", "type") { Body = """{"payload":{"steps":1}}""" },
        new("type empty", HttpStatusCode.BadRequest, "validation-failed", "type") { Body = """{"type":"","payload":{"steps":1}}""" },
        new("type is a number", HttpStatusCode.BadRequest, "validation-failed", "type") { Body = """{"type":42,"payload":{"steps":1}}""" },
        new("type unknown", HttpStatusCode.BadRequest, "unknown-job-type", "type") { Body = """{"type":"no.such.type","payload":{"steps":1}}""" },

        // payload, and the demo.simulate schema
        new("payload missing", HttpStatusCode.BadRequest, "validation-failed", "payload") { Body = """{"type":"demo.simulate"}""" },
        new("payload null", HttpStatusCode.BadRequest, "validation-failed", "payload") { Body = """{"type":"demo.simulate","payload":null}""" },
        new("payload steps 0", HttpStatusCode.BadRequest, "invalid-payload", "payload.steps") { Body = DemoJobs.Simulate("\"steps\":0") },
        new("payload steps 1001", HttpStatusCode.BadRequest, "invalid-payload", "payload.steps") { Body = DemoJobs.Simulate("\"steps\":1001") },
        new("payload stepDurationMs -1", HttpStatusCode.BadRequest, "invalid-payload", "payload.stepDurationMs") { Body = DemoJobs.Simulate("\"steps\":1,\"stepDurationMs\":-1") },
        new("payload steps not a number", HttpStatusCode.BadRequest, "invalid-payload", "payload.steps") { Body = DemoJobs.Simulate("\"steps\":\"many\"") },
        new("payload an array", HttpStatusCode.BadRequest, "invalid-payload", "payload") { Body = """{"type":"demo.simulate","payload":[1,2]}""" },
        new("payload a string", HttpStatusCode.BadRequest, "invalid-payload", "payload") { Body = """{"type":"demo.simulate","payload":"steps=1"}""" },

        // priority, timeoutSeconds, maxAttempts
        new("priority urgent", HttpStatusCode.BadRequest, "validation-failed", "priority") { Body = DemoJobs.Quick("\"priority\":\"urgent\"") },
        new("priority a number", HttpStatusCode.BadRequest, "validation-failed", "priority") { Body = DemoJobs.Quick("\"priority\":5") },
        new("timeoutSeconds 0", HttpStatusCode.BadRequest, "validation-failed", "timeoutSeconds") { Body = DemoJobs.Quick("\"timeoutSeconds\":0") },
        new("timeoutSeconds 86401", HttpStatusCode.BadRequest, "validation-failed", "timeoutSeconds") { Body = DemoJobs.Quick("\"timeoutSeconds\":86401") },
        new("timeoutSeconds not a number", HttpStatusCode.BadRequest, "validation-failed", "timeoutSeconds") { Body = DemoJobs.Quick("\"timeoutSeconds\":\"abc\"") },
        new("maxAttempts 0", HttpStatusCode.BadRequest, "validation-failed", "maxAttempts") { Body = DemoJobs.Quick("\"maxAttempts\":0") },
        new("maxAttempts 21", HttpStatusCode.BadRequest, "validation-failed", "maxAttempts") { Body = DemoJobs.Quick("\"maxAttempts\":21") },
        new("maxAttempts a word", HttpStatusCode.BadRequest, "validation-failed", "maxAttempts") { Body = DemoJobs.Quick("\"maxAttempts\":\"three\"") },

        // callbackUrl
        new("callbackUrl not a URL", HttpStatusCode.BadRequest, "validation-failed", "callbackUrl") { Body = DemoJobs.Quick("\"callbackUrl\":\"not a url\"") },
        new("callbackUrl ftp", HttpStatusCode.BadRequest, "validation-failed", "callbackUrl") { Body = DemoJobs.Quick("\"callbackUrl\":\"ftp://x\"") },
        new("callbackUrl relative", HttpStatusCode.BadRequest, "validation-failed", "callbackUrl") { Body = DemoJobs.Quick("\"callbackUrl\":\"/hooks/asyncjobs\"") },
        new("callbackUrl private 10/8", HttpStatusCode.BadRequest, "callback-url-not-allowed", "callbackUrl") { Body = DemoJobs.Quick("\"callbackUrl\":\"http://10.0.0.5/hook\"") },
        new("callbackUrl private 192.168/16", HttpStatusCode.BadRequest, "callback-url-not-allowed", "callbackUrl") { Body = DemoJobs.Quick("\"callbackUrl\":\"http://192.168.1.1/\"") },
        new("callbackUrl link-local metadata service", HttpStatusCode.BadRequest, "callback-url-not-allowed", "callbackUrl") { Body = DemoJobs.Quick("\"callbackUrl\":\"http://169.254.169.254/\"") },

        // metadata
        new("metadata a number", HttpStatusCode.BadRequest, "validation-failed", "metadata") { Body = DemoJobs.Quick("\"metadata\":42") },
        new("metadata a string", HttpStatusCode.BadRequest, "validation-failed", "metadata") { Body = DemoJobs.Quick("\"metadata\":\"x\"") },
        new("metadata an array", HttpStatusCode.BadRequest, "validation-failed", "metadata") { Body = DemoJobs.Quick("\"metadata\":[1]") },

        // The query and headers around a valid body.
        new("dryRun maybe", HttpStatusCode.BadRequest, "validation-failed", "dryRun") { Query = "?dryRun=maybe" },
        new("Idempotency-Key empty", HttpStatusCode.BadRequest, "invalid-idempotency-key", null) { IdempotencyKey = string.Empty },
        new("Idempotency-Key 256 characters", HttpStatusCode.BadRequest, "invalid-idempotency-key", null) { IdempotencyKey = new string('k', 256) },
        new("Idempotency-Key with a space", HttpStatusCode.BadRequest, "invalid-idempotency-key", null) { IdempotencyKey = "order 17" },
        new("Idempotency-Key invalid on a dry run", HttpStatusCode.BadRequest, "invalid-idempotency-key", null) { IdempotencyKey = "order 17", Query = "?dryRun=true" },
    ];

    public HttpContent Content()
    {
        if (MediaType is null)
        {
            return new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        }

        return new StringContent(Body, Encoding.UTF8, MediaType);
    }

    public override string ToString() => Name;

    /// <summary>A valid submission of about 1.5 MB (its metadata carries the bulk): only its size is wrong.</summary>
    private static string OversizedBody() =>
        DemoJobs.Quick($"\"metadata\":{{\"blob\":\"{new string('x', 1_500_000)}\"}}");
}
