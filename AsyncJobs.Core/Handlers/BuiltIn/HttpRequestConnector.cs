using System.Net;
using System.Net.Sockets;
using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>
/// Opens the connections of the <c>http.request</c> client. The host is resolved here and every address checked
/// before the socket connects to those same addresses, so a name that resolves (or is rebound between two
/// look-ups) to an internal address cannot slip past the check. <paramref name="resolve"/> replaces DNS in tests.
/// </summary>
public sealed class HttpRequestConnector(CallbackAddressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>
    /// The primary handler of the <c>http.request</c> client: it connects only through this connector, follows no
    /// redirect, and uses no proxy (through a proxy, the connector would check the proxy's address, not the target's).
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = ConnectAsync,
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolve(host, cancellationToken);

        // Any refused address refuses the host: otherwise a name could pair a public address with an internal one.
        if (addresses.FirstOrDefault(address => !policy.IsAllowed(address)) is { } refused)
        {
            throw new AddressNotAllowedException(host, refused);
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
