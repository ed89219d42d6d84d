using System.Text;
using System.Text.Json;
using AsyncJobs.Webhooks;

namespace AsyncJobs.IntegrationTests.Webhooks;

/// <summary>One request the receiver got: its path, Standard Webhooks headers, exact body bytes, and what it answered.</summary>
public sealed record ReceivedWebhook(string Path, string? MessageId, string? Timestamp, string? Signature, string? ContentType, byte[] Body, int AnsweredStatus)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonElement.Parse(Body);

    public string Type => Json.GetProperty("type").GetString()!;

    public Guid JobId => Guid.Parse(Json.GetProperty("data").GetProperty("jobId").GetString()!);

    public bool Succeeded => AnsweredStatus is >= 200 and < 300;

    public WebhookVerificationResult VerifyWith(params string[] secrets) =>
        new WebhookVerifier(secrets).Verify(MessageId, Timestamp, Signature, Body);
}
