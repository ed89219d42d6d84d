using System.Net;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>A host of an <c>http.request</c> job resolved to an address the SSRF policy refuses.</summary>
public sealed class AddressNotAllowedException(string host, IPAddress address)
    : Exception($"{host} resolves to {address}, an address http.request may not call.")
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;
}
