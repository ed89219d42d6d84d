using System.Net;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>A webhook URL's host resolved to an address the deployment does not deliver to (loopback, private, link-local).</summary>
public sealed class WebhookAddressRefusedException(string host, IPAddress address)
    : Exception($"Webhooks are not delivered to {host} ({address}): loopback, private and link-local addresses are refused.")
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;
}
