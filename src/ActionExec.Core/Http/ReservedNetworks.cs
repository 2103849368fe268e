using System.Net;

namespace ActionExec.Http;

/// <summary>
/// The networks targets may not reach unless the host allows them in <see cref="HttpTargetOptions.AllowedNetworks"/>: the ones
/// that lead back into the host or its private network rather than to a service on the internet.
/// </summary>
internal static class ReservedNetworks
{
    public const string LoopbackKind = "loopback";
    public const string PrivateKind = "private";

    /// <summary>The networks <see cref="HttpTargetOptions.AllowLoopback"/> adds to <see cref="HttpTargetOptions.AllowedNetworks"/>.</summary>
    public static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    /// <summary>The networks <see cref="HttpTargetOptions.AllowPrivateNetworks"/> adds to <see cref="HttpTargetOptions.AllowedNetworks"/>.</summary>
    public static readonly string[] Private = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>Every reserved network with its kind, in the order they are checked.</summary>
    public static readonly ReservedNetwork[] All =
    [
        .. Loopback.Select(static n => new ReservedNetwork(IPNetwork.Parse(n), LoopbackKind)),
        .. Private.Select(static n => new ReservedNetwork(IPNetwork.Parse(n), PrivateKind)),
        new(IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        new(IPNetwork.Parse("fe80::/10"), "link-local"),
        new(IPNetwork.Parse("100.64.0.0/10"), "shared address space (CGNAT)"),
        new(IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        new(IPNetwork.Parse("::/128"), "unspecified"),
        new(IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        new(IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>How a host allows a network of <paramref name="kind"/>.</summary>
    public static string HowToAllow(string kind, IPNetwork network) => kind switch
    {
        LoopbackKind => "call AllowLoopback() on the HTTP target options to allow it",
        PrivateKind => "call AllowPrivateNetworks() on the HTTP target options to allow it",
        _ => $"add \"{network}\" to the HTTP target options' AllowedNetworks to allow it",
    };
}
