using AsyncJobs.Core.Webhooks;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>Where <c>http.request</c> jobs may connect; bound from the <c>HttpRequestJob</c> section.</summary>
public sealed class HttpRequestJobOptions
{
    public const string SectionName = "HttpRequestJob";

    /// <summary>Allow loopback targets (tests, local development only).</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Allow private, link-local and other internal targets (a deployment whose jobs call into its own network).</summary>
    public bool AllowPrivateNetworks { get; set; }

    public CallbackAddressPolicy AddressPolicy() => new(AllowLoopback, AllowPrivateNetworks);
}
