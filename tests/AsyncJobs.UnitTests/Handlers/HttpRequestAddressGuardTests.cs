using System.Net;
using AsyncJobs.Core.Handlers;
using AsyncJobs.Core.Handlers.BuiltIn;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AsyncJobs.UnitTests.Handlers;

/// <summary>
/// The SSRF guard of <c>http.request</c>: internal targets are refused, permanently, before any byte is sent,
/// whether the URL names the address or a host name resolves to it.
/// </summary>
public sealed class HttpRequestAddressGuardTests(LoopbackReceiver receiver) : IClassFixture<LoopbackReceiver>
{
    [Theory]
    [InlineData("http://10.0.0.5/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://0.0.0.0/")]
    public async Task Internal_addresses_are_refused_by_default(string url)
    {
        using var services = new HttpRequestJobServices();

        var failure = await FailureAsync(services.Handler, url);

        failure.ErrorType.ShouldBe("url_not_allowed");
        failure.Retryable.ShouldBeFalse();
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Loopback_is_refused_by_default_and_nothing_is_sent(string host)
    {
        using var services = new HttpRequestJobServices();
        var path = $"/status/200/loopback-{host.Trim('[', ']').Replace(':', '-')}";

        var failure = await FailureAsync(services.Handler, $"http://{host}:{receiver.Port}{path}");

        failure.ErrorType.ShouldBe("url_not_allowed");
        failure.Retryable.ShouldBeFalse();
        receiver.Hits(path).ShouldBe(0);
    }

    [Fact]
    public async Task Allowing_loopback_does_not_allow_private_networks()
    {
        using var services = new HttpRequestJobServices(allowLoopback: true);

        (await FailureAsync(services.Handler, "http://10.0.0.5/")).ErrorType.ShouldBe("url_not_allowed");
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        using var clients = new ConnectorClients(new HttpRequestConnector(Policy(allowLoopback: false), Resolve("receiver.test", IPAddress.Loopback)));
        var handler = new HttpRequestHandler(clients, Options.Create(new HttpRequestJobOptions()));

        var failure = await FailureAsync(handler, $"http://receiver.test:{receiver.Port}/status/200/rebound");

        failure.ErrorType.ShouldBe("url_not_allowed");
        failure.Retryable.ShouldBeFalse();
        failure.Message.ShouldContain("127.0.0.1");
        receiver.Hits("/status/200/rebound").ShouldBe(0);
    }

    [Fact]
    public async Task A_name_with_one_internal_address_among_public_ones_is_refused()
    {
        using var clients = new ConnectorClients(new HttpRequestConnector(Policy(allowLoopback: false), Resolve("mixed.test", IPAddress.Parse("203.0.113.10"), IPAddress.Parse("10.0.0.7"))));
        var handler = new HttpRequestHandler(clients, Options.Create(new HttpRequestJobOptions()));

        var failure = await FailureAsync(handler, "http://mixed.test/");

        failure.ErrorType.ShouldBe("url_not_allowed");
        failure.Message.ShouldContain("10.0.0.7");
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_that_was_checked()
    {
        // receiver.test exists only in this resolver: the call can only succeed by connecting to what it returned.
        using var clients = new ConnectorClients(new HttpRequestConnector(Policy(allowLoopback: true), Resolve("receiver.test", IPAddress.Loopback)));
        var handler = new HttpRequestHandler(clients, Options.Create(new HttpRequestJobOptions { AllowLoopback = true }));

        var result = await handler.ExecuteAsync(
            new HttpRequestPayload { Url = $"http://receiver.test:{receiver.Port}/json" }, new RecordedProgress().Context(TestContext.Current.CancellationToken));

        result.Status.ShouldBe(200);
    }

    private static Core.Webhooks.CallbackAddressPolicy Policy(bool allowLoopback) => new(allowLoopback, allowPrivateNetworks: false);

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolve(string name, params IPAddress[] addresses) =>
        (host, _) => host == name ? Task.FromResult(addresses) : throw new InvalidOperationException($"Unexpected look-up of {host}.");

    private static Task<JobFailedException> FailureAsync(HttpRequestHandler handler, string url) =>
        Should.ThrowAsync<JobFailedException>(() =>
            handler.ExecuteAsync(new HttpRequestPayload { Url = url, TimeoutSeconds = 5 }, new RecordedProgress().Context(TestContext.Current.CancellationToken)));

    /// <summary>Clients on the handler <c>http.request</c> registers, around a connector with a test resolver.</summary>
    private sealed class ConnectorClients(HttpRequestConnector connector) : IHttpClientFactory, IDisposable
    {
        private readonly SocketsHttpHandler handler = connector.CreateHttpHandler();

        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);

        public void Dispose() => handler.Dispose();
    }
}
