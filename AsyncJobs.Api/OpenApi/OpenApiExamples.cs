using System.Text.Json.Nodes;
using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.Tenants;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;

namespace AsyncJobs.Api.OpenApi;

/// <summary>Examples in the OpenAPI document, so Scalar shows a request that works and the answers to expect.</summary>
public static class OpenApiExamples
{
    private static readonly Dictionary<Type, string> ByType = new()
    {
        [typeof(SubmitJobRequest)] = """
            {"type": "demo.simulate", "payload": {"steps": 5, "stepDurationMs": 500}, "priority": "normal",
             "timeoutSeconds": 300, "maxAttempts": 3, "metadata": {"orderId": "42"}}
            """,
        [typeof(JobAcceptedResponse)] = """
            {"id": "01a20efd-3195-79e2-9b17-2331584588e7", "status": "queued", "createdAt": "2026-11-24T19:16:44.061524+00:00",
             "jobToken": "ajt_AaIO_TGVeeKbFyMxWEWI5_cKfWFHRlE6Z2e6dFGipKadMp5fPT34Jg",
             "links": {"self": "/jobs/01a20efd-3195-79e2-9b17-2331584588e7", "events": "http://localhost:5082/jobs/01a20efd-3195-79e2-9b17-2331584588e7/events",
                       "cancel": "/jobs/01a20efd-3195-79e2-9b17-2331584588e7/cancel", "result": "/jobs/01a20efd-3195-79e2-9b17-2331584588e7/result"}}
            """,
        [typeof(DryRunResponse)] = """
            {"dryRun": true, "type": "demo.simulate", "priority": "normal", "timeoutSeconds": 300, "maxAttempts": 3,
             "plan": {"steps": 5, "estimatedDurationMs": 2500, "failingAttempts": 0, "alwaysFails": false, "hangs": false}}
            """,
        [typeof(CreateTenantRequest)] = """{"name": "acme", "submissionsPerMinute": 6000, "maxInFlight": 1000}""",
        [typeof(ProblemDetails)] = """
            {"type": "https://asyncjobs.dev/problems/invalid-payload", "title": "The payload is not valid for demo.simulate",
             "status": 400, "detail": "payload.steps: The field Steps must be between 1 and 1000.",
             "errors": {"payload.steps": ["The field Steps must be between 1 and 1000."]}}
            """,
    };

    public static JsonNode For<T>() => JsonNode.Parse(ByType[typeof(T)])!;

    public static OpenApiOptions AddExamples(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (ByType.TryGetValue(context.JsonTypeInfo.Type, out var example))
            {
                schema.Examples = [JsonNode.Parse(example)!];
            }

            return Task.CompletedTask;
        });
}
