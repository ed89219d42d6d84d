using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.IntegrationTests.Webhooks;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AsyncJobs.IntegrationTests.LiveConsole;

/// <summary>The console's webhook view against a real receiver: endpoints, deliveries with every attempt, manual redelivery.</summary>
[Collection(LiveConsoleCollectionDefinition.Name)]
public sealed class ConsoleWebhookTests(LiveConsoleFixture fixture)
{
    private static readonly string[] SucceededOnly = ["job.succeeded"];

    [Fact]
    public async Task A_delivery_is_shown_with_its_attempts_and_redelivered_from_the_page()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        await using var receiver = await WebhookReceiver.StartAsync(deadline.Token);
        await using var tenant = await fixture.NewTenantAsync("console-webhooks", deadline.Token);
        var url = receiver.Url("/console-hooks").ToString();
        using (var created = await tenant.Api.PostAsJsonAsync("/webhooks/endpoints", new { url, eventTypes = SucceededOnly }, deadline.Token))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(deadline.Token));
        }

        var job = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var first = (await receiver.WaitUntilAsync(r => r.Count >= 1, "the first delivery", deadline.Token))[0];
        var delivery = await WaitForDeliveryAsync(tenant, job.Id, d => d.State == "succeeded" && d.AttemptCount == 1, deadline.Token);

        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInAsync(tenant.ApiKey);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Webhooks" }).ClickAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = $"Deliveries to {url}" }).ClickAsync();
        var row = console.Page.Locator($"#deliveries-body tr[data-delivery-id=\"{delivery.Id}\"]");
        await Expect(row).ToContainTextAsync("delivered", new() { Timeout = ConsolePage.WaitMs });
        await Expect(row).ToContainTextAsync("job.succeeded");

        var label = delivery.Id.ToString()[^8..];
        await row.GetByRole(AriaRole.Button, new() { Name = $"Attempts of delivery {label}" }).ClickAsync();
        await Expect(console.Page.Locator("#delivery-attempts")).ToContainTextAsync("attempt 1 · 200", new() { Timeout = ConsolePage.WaitMs });

        await row.GetByRole(AriaRole.Button, new() { Name = $"Redeliver delivery {label}" }).ClickAsync();

        var again = await receiver.WaitUntilAsync(r => r.Count >= 2, "the redelivery", deadline.Token);
        again[1].MessageId.ShouldBe(first.MessageId, "a redelivery keeps the webhook-id");
        await WaitForDeliveryAsync(tenant, job.Id, d => d.State == "succeeded" && d.AttemptCount == 2, deadline.Token);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("2", new() { Timeout = ConsolePage.WaitMs });
        console.ShouldNotHaveSecretsInUrls(tenant.ApiKey);
    }

    private static async Task<DeliveryRow> WaitForDeliveryAsync(TestTenant tenant, Guid jobId, Func<DeliveryRow, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await tenant.Api.GetFromJsonAsync<DeliveryPage>($"/webhooks/deliveries?jobId={jobId}", ApiJson.Options, cancellationToken);
            if (page?.Items.FirstOrDefault(condition) is { } row)
            {
                return row;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private sealed record DeliveryPage(IReadOnlyList<DeliveryRow> Items);

    private sealed record DeliveryRow(Guid Id, string State, int AttemptCount, JsonElement? LastStatusCode);
}
