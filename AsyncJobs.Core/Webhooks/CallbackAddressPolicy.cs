using System.Net;
using System.Net.Sockets;

namespace AsyncJobs.Core.Webhooks;

/// <summary>
/// Refuses webhook targets on loopback, private, link-local and other internal addresses, so a tenant cannot make
/// the system call into its own network (SSRF). Tests and local development allow loopback explicitly.
/// </summary>
public sealed class CallbackAddressPolicy(bool allowLoopback, bool allowPrivateNetworks)
{
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        return allowPrivateNetworks || !IsInternal(address);
    }

    /// <summary>Checks a URL's host when it is an address or a loopback name; names are checked again when resolved at delivery.</summary>
    public bool IsAllowed(Uri url)
    {
        if (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address))
        {
            return IsAllowed(address);
        }

        var isLoopbackName = url.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
            url.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return !isLoopbackName || allowLoopback;
    }

    private static bool IsInternal(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return bytes[0] switch
            {
                0 or 10 => true,
                100 => bytes[1] is >= 64 and <= 127,
                169 => bytes[1] == 254,
                172 => bytes[1] is >= 16 and <= 31,
                192 => bytes[1] == 168 || (bytes[1] == 0 && bytes[2] is 0 or 2),
                198 => bytes[1] is 18 or 19,
                >= 224 => true,
                _ => false,
            };
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast ||
            address.Equals(IPAddress.IPv6Any);
    }
}
