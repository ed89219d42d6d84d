using System.Net;
using AsyncJobs.Core.Webhooks;
using Shouldly;

namespace AsyncJobs.UnitTests.Webhooks;

public sealed class CallbackAddressPolicyTests
{
    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.1.2.3")]
    public void Internal_addresses_are_refused_by_default(string address) =>
        new CallbackAddressPolicy(allowLoopback: false, allowPrivateNetworks: false).IsAllowed(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    public void Public_addresses_are_allowed(string address) =>
        new CallbackAddressPolicy(false, false).IsAllowed(IPAddress.Parse(address)).ShouldBeTrue();

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", false, false)]
    [InlineData("http://127.0.0.1:8080/hook", true, true)]
    [InlineData("http://[::1]/hook", false, false)]
    [InlineData("http://localhost/hook", false, false)]
    [InlineData("http://api.localhost/hook", true, true)]
    [InlineData("http://10.0.0.5/hook", true, false)]
    [InlineData("https://example.com/hook", false, true)]
    public void Urls_are_judged_by_their_host(string url, bool allowLoopback, bool allowed) =>
        new CallbackAddressPolicy(allowLoopback, allowPrivateNetworks: false).IsAllowed(new Uri(url)).ShouldBe(allowed);

    [Fact]
    public void Private_networks_can_be_allowed_explicitly() =>
        new CallbackAddressPolicy(allowLoopback: false, allowPrivateNetworks: true).IsAllowed(IPAddress.Parse("10.0.0.5")).ShouldBeTrue();
}
