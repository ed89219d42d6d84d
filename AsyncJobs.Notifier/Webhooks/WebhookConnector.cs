using System.Net;
using System.Net.Sockets;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>
/// Opens the connections of the webhook client. The host is resolved here and every address checked before the
/// socket connects to exactly those addresses, so a name that resolves (or is rebound between two look-ups) to an
/// internal address cannot slip past the check (SSRF, DNS rebinding).
/// </summary>
public sealed class WebhookConnector(CallbackAddressPolicy policy)
{
    /// <summary>The primary handler: connects through this connector, follows no redirect, uses no proxy, keeps no cookies.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        // A redirect is an answer like any other non-2xx: the delivery is retried, never sent to where it points.
        AllowAutoRedirect = false,
        // Through a proxy, the check would see the proxy's address rather than the receiver's.
        UseProxy = false,
        UseCookies = false,
        ConnectCallback = ConnectAsync,
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);

        // One refused address refuses the host: otherwise a name could pair a public address with an internal one.
        if (addresses.FirstOrDefault(address => !policy.IsAllowed(address)) is { } refused)
        {
            throw new WebhookAddressRefusedException(host, refused);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
