using System.Globalization;
using System.Text;
using AsyncJobs.Client.Problems;
using AsyncJobs.Client.Webhooks;
using AsyncJobs.UnitTests.Webhooks;
using AsyncJobs.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shouldly;
using static AsyncJobs.UnitTests.Webhooks.StandardWebhooksVectors;

namespace AsyncJobs.UnitTests.Client;

/// <summary>The receiver's endpoint filter gives the Standard Webhooks specification's verdicts on its published test vector.</summary>
public sealed class WebhookSignatureFilterTests
{
    private static readonly TimeProvider AtSigning = new FixedTime(SignedAt);

    [Fact]
    public async Task The_specification_vector_passes_and_the_endpoint_gets_the_verified_message()
    {
        var (outcome, http, reached) = await RunAsync(new WebhookVerifier(Secret, time: AtSigning), Signature);

        reached.ShouldBeTrue();
        outcome.ShouldBe("next");
        var webhook = http.GetVerifiedWebhook();
        webhook.MessageId.ShouldBe(MessageId);
        webhook.Timestamp.ShouldBe(SignedAt);
        Encoding.UTF8.GetString(webhook.Body.Span).ShouldBe(Payload);
        http.Request.Body.Position.ShouldBe(0, "the endpoint can still read the body");
    }

    [Fact]
    public async Task The_vector_passes_among_foreign_signatures_and_with_either_secret_of_a_rotation()
    {
        var rotation = new WebhookVerifier([WebhookSecret.Generate(), Secret], time: AtSigning);

        var (_, _, reached) = await RunAsync(rotation, string.Join(' ', ForeignSignature, OtherVersionSignature, Signature));

        reached.ShouldBeTrue();
    }

    [Theory]
    [InlineData(AlteredSignature, null, WebhookVerificationFailure.NoMatchingSignature)]
    [InlineData(Signature, "{\"test\": 2432232315}", WebhookVerificationFailure.NoMatchingSignature)]
    [InlineData("", null, WebhookVerificationFailure.MissingHeader)]
    public async Task A_wrong_signature_a_tampered_body_or_no_signature_is_a_401_problem(string signature, string? body, WebhookVerificationFailure failure)
    {
        var (outcome, _, reached) = await RunAsync(new WebhookVerifier(Secret, time: AtSigning), signature, body);

        reached.ShouldBeFalse();
        ShouldBeProblem(outcome, failure);
    }

    [Fact]
    public async Task The_vector_is_refused_under_another_secret() =>
        ShouldBeProblem((await RunAsync(new WebhookVerifier(WebhookSecret.Generate(), time: AtSigning), Signature)).Outcome, WebhookVerificationFailure.NoMatchingSignature);

    [Fact]
    public async Task The_vector_is_refused_once_older_than_the_tolerance() =>
        ShouldBeProblem(
            (await RunAsync(new WebhookVerifier(Secret, TimeSpan.FromMinutes(5), new FixedTime(SignedAt.AddMinutes(5).AddSeconds(1))), Signature)).Outcome,
            WebhookVerificationFailure.TimestampTooOld);

    private static void ShouldBeProblem(object? outcome, WebhookVerificationFailure failure)
    {
        var problem = outcome.ShouldBeOfType<ProblemHttpResult>();
        problem.StatusCode.ShouldBe(StatusCodes.Status401Unauthorized);
        problem.ProblemDetails.Type.ShouldBe(AsyncJobsProblemTypes.InvalidWebhookSignature);
        problem.ProblemDetails.Extensions["failure"].ShouldBe(failure.ToString());
    }

    private static async Task<(object? Outcome, HttpContext Http, bool Reached)> RunAsync(WebhookVerifier verifier, string signature, string? body = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? Payload));
        http.Request.Headers[WebhookHeaderNames.Id] = MessageId;
        http.Request.Headers[WebhookHeaderNames.Timestamp] = Timestamp.ToString(CultureInfo.InvariantCulture);
        if (signature.Length > 0)
        {
            http.Request.Headers[WebhookHeaderNames.Signature] = signature;
        }

        var reached = false;
        var outcome = await new WebhookSignatureFilter(verifier).InvokeAsync(
            EndpointFilterInvocationContext.Create(http),
            _ =>
            {
                reached = true;
                return ValueTask.FromResult<object?>("next");
            });
        return (outcome, http, reached);
    }
}
