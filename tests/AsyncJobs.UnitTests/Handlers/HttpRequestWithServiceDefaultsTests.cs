using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Handlers.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Shouldly;

namespace AsyncJobs.UnitTests.Handlers;

/// <summary>
/// The services register <c>http.request</c> after <c>AddServiceDefaults</c>, whose HTTP client defaults retry and
/// discover services: neither may reach this client, or one attempt would call a tenant's URL several times.
/// </summary>
public sealed class HttpRequestWithServiceDefaultsTests(LoopbackReceiver receiver) : IClassFixture<LoopbackReceiver>
{
    [Fact]
    public async Task A_failing_call_is_made_once_per_attempt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["HttpRequestJob:AllowLoopback"] = "true" });
        builder.AddServiceDefaults();
        builder.Services.AddJobHandlers();
        using var host = builder.Build();
        var handler = HttpRequestJobServices.Registered(host.Services);

        var failure = await Should.ThrowAsync<JobFailedException>(() => handler.ExecuteAsync(
            new HttpRequestPayload { Url = receiver.Url("/status/503/service-defaults").ToString() },
            new RecordedProgress().Context(TestContext.Current.CancellationToken)));

        failure.Retryable.ShouldBeTrue();
        receiver.Hits("/status/503/service-defaults").ShouldBe(1);
    }
}
