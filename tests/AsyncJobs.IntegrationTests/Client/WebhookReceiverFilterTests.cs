using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Jobs;
using AsyncJobs.Client.Problems;
using AsyncJobs.Client.Webhooks;
using AsyncJobs.IntegrationTests.Webhooks;
using AsyncJobs.Webhooks;

namespace AsyncJobs.IntegrationTests.Client;

/// <summary>
/// The notifier's real deliveries reach a receiver app protected by <c>RequireWebhookSignature</c>: they verify (before
/// and after a secret rotation, with either secret), the endpoint gets the verified event, and tampered, expired,
/// wrong-secret and unsigned requests are refused with a 401 problem. The endpoints and deliveries are managed with the client.
/// </summary>
[Collection(WebhookCollectionDefinition.Name)]
public sealed class WebhookReceiverFilterTests(WebhookTopologyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Real_deliveries_verify_and_reach_the_endpoint_and_the_client_manages_them()
    {
        using var deadline = StartDeadline();
        using var tenant = await fixture.NewTenantAsync(deadline.Token);
        using var session = Session(tenant);
        await using var receiver = await FilteredWebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await session.Client.CreateWebhookEndpointAsync(receiver.HooksUrl, [JobEventTypes.Succeeded], "client tests", deadline.Token);
        endpoint.Secret.ShouldStartWith(WebhookSecret.Prefix);
        receiver.Secrets = [endpoint.Secret];
        (await session.Client.ListWebhookEndpointsAsync(deadline.Token)).Select(e => e.Id).ShouldBe([endpoint.Id]);

        var job = await session.Client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);
        var webhook = await receiver.WaitForAsync(w => w.ToJobEvent().JobId == job.Id, "job.succeeded", deadline.Token);

        webhook.Type.ShouldBe(JobEventTypes.Succeeded);
        var jobEvent = webhook.ToJobEvent();
        jobEvent.Status.ShouldBe(JobStatus.Succeeded);
        jobEvent.Type.ShouldBe(JobEventTypes.Succeeded);
        webhook.MessageId.ShouldStartWith("msg_");

        var deliveries = await session.Client.ListWebhookDeliveriesAsync(new WebhookDeliveryFilter { JobId = job.Id }, deadline.Token);
        var delivery = deliveries.ShouldHaveSingleItem();
        delivery.MessageId.ShouldBe(webhook.MessageId);
        var detail = await WaitForDeliveryAsync(session, delivery.Id, d => d.Delivery.State == "succeeded", deadline.Token);
        detail.Attempts.ShouldNotBeEmpty();
        detail.Attempts[^1].StatusCode.ShouldBe(200);

        await session.Client.RedeliverWebhookAsync(delivery.Id, deadline.Token);
        await receiver.WaitForAsync(w => w.MessageId == webhook.MessageId && !ReferenceEquals(w, webhook), "the redelivery", deadline.Token);

        await session.Client.DeleteWebhookEndpointAsync(endpoint.Id, deadline.Token);
        (await session.Client.ListWebhookEndpointsAsync(deadline.Token)).ShouldBeEmpty();
        var gone = await Should.ThrowAsync<AsyncJobsNotFoundException>(() => session.Client.GetWebhookEndpointAsync(endpoint.Id, deadline.Token));
        gone.Type.ShouldBe(AsyncJobsProblemTypes.WebhookEndpointNotFound);
    }

    [Fact]
    public async Task Both_secrets_verify_during_a_rotation_and_tampered_expired_or_wrong_ones_are_refused()
    {
        using var deadline = StartDeadline();
        using var tenant = await fixture.NewTenantAsync(deadline.Token);
        using var session = Session(tenant);
        await using var receiver = await FilteredWebhookReceiver.StartAsync(deadline.Token);
        var endpoint = await session.Client.CreateWebhookEndpointAsync(receiver.HooksUrl, [JobEventTypes.Succeeded], cancellationToken: deadline.Token);
        var oldSecret = endpoint.Secret;
        var rotated = await session.Client.RotateWebhookSecretAsync(endpoint.Id, deadline.Token);
        var newSecret = rotated.Secret;
        newSecret.ShouldNotBe(oldSecret);
        rotated.PreviousSecretExpiresAt.ShouldNotBeNull();
        receiver.Secrets = [oldSecret];

        var job = await session.Client.SubmitAsync("demo.simulate", new { steps = 1, stepDurationMs = 0 }, cancellationToken: deadline.Token);
        var webhook = await receiver.WaitForAsync(w => w.ToJobEvent().JobId == job.Id, "a delivery verified with the old secret", deadline.Token);
        var delivered = receiver.Raw.Single(r => r.MessageId == webhook.MessageId);
        delivered.Signature.Split(' ').Length.ShouldBe(2, "one signature per secret while the old one overlaps");

        using var http = new HttpClient();
        foreach (var accepted in new[] { [newSecret], [oldSecret, newSecret], new[] { newSecret, WebhookSecret.Generate() } })
        {
            receiver.Secrets = accepted;
            using var replay = await PostAsync(http, receiver.HooksUrl, delivered, deadline.Token);
            replay.StatusCode.ShouldBe(HttpStatusCode.OK, $"secrets {accepted.Length}: {await replay.Content.ReadAsStringAsync(deadline.Token)}");
        }

        receiver.Secrets = [newSecret];
        var verifiedBefore = receiver.Verified.Count;
        var tamperedBody = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(delivered.Body).Replace("succeeded", "failed", StringComparison.Ordinal));
        await ShouldBeRefusedAsync(http, receiver, delivered with { Body = tamperedBody }, nameof(WebhookVerificationFailure.NoMatchingSignature), deadline.Token);

        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        var expired = delivered with
        {
            Timestamp = WebhookSigner.FormatTimestamp(tenMinutesAgo),
            Signature = new WebhookSigner(newSecret).Sign(delivered.MessageId, tenMinutesAgo, delivered.Body),
        };
        await ShouldBeRefusedAsync(http, receiver, expired, nameof(WebhookVerificationFailure.TimestampTooOld), deadline.Token);
        await ShouldBeRefusedAsync(http, receiver, delivered with { Signature = "" }, nameof(WebhookVerificationFailure.MissingHeader), deadline.Token);

        receiver.Secrets = [WebhookSecret.Generate()];
        await ShouldBeRefusedAsync(http, receiver, delivered, nameof(WebhookVerificationFailure.NoMatchingSignature), deadline.Token);

        receiver.Verified.Count.ShouldBe(verifiedBefore, "a refused request never reaches the endpoint");
    }

    private static async Task ShouldBeRefusedAsync(
        HttpClient http, FilteredWebhookReceiver receiver, FilteredWebhookReceiver.RawRequest request, string failure, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(http, receiver.HooksUrl, request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("type").GetString().ShouldBe(AsyncJobsProblemTypes.InvalidWebhookSignature);
        problem.GetProperty("status").GetInt32().ShouldBe(401);
        problem.GetProperty("failure").GetString().ShouldBe(failure);
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, FilteredWebhookReceiver.RawRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(request.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.TryAddWithoutValidation(WebhookHeaderNames.Id, request.MessageId);
        message.Headers.TryAddWithoutValidation(WebhookHeaderNames.Timestamp, request.Timestamp);
        if (request.Signature.Length > 0)
        {
            message.Headers.TryAddWithoutValidation(WebhookHeaderNames.Signature, request.Signature);
        }

        return await http.SendAsync(message, cancellationToken);
    }

    private static async Task<WebhookDeliveryDetail> WaitForDeliveryAsync(
        ClientSession session, Guid id, Func<WebhookDeliveryDetail, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var detail = await session.Client.GetWebhookDeliveryAsync(id, cancellationToken);
            if (condition(detail))
            {
                return detail;
            }

            // Polls the real state; the deadline (the token) bounds the wait.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private ClientSession Session(WebhookTenant tenant) =>
        new(fixture.Topology.ApiUrl, tenant.Api.DefaultRequestHeaders.Authorization!.Parameter!);

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        return deadline;
    }
}
