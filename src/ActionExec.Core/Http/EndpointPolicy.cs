using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using ActionExec.Errors;

namespace ActionExec.Http;

/// <summary>
/// The compiled endpoint policy of <see cref="HttpTargetOptions"/>: denied host names (exact or <c>*.</c> suffix), denied IP
/// networks, and the reserved networks (loopback, private, link-local, CGNAT, unspecified, multicast) that are denied unless the
/// host allowed them. Built once from validated options; checked by the connect callback of the targets' primary handler.
/// </summary>
internal sealed class EndpointPolicy
{
    private const string WildcardPrefix = "*.";

    private readonly FrozenSet<string> _hosts;
    private readonly string[] _suffixes;
    private readonly IPNetwork[] _networks;
    private readonly IPNetwork[] _allowed;

    /// <summary>Compiles the policy.</summary>
    /// <exception cref="FormatException">A network is not in CIDR notation (the options validator reports this first).</exception>
    public EndpointPolicy(HttpTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var suffixes = new List<string>();
        foreach (var entry in options.DeniedHosts)
        {
            var host = Normalize(entry);
            if (host.StartsWith(WildcardPrefix, StringComparison.Ordinal))
            {
                suffixes.Add(host[1..]);
            }
            else
            {
                hosts.Add(host);
            }
        }

        _hosts = hosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _suffixes = [.. suffixes];
        _networks = [.. options.DeniedNetworks.Select(static n => IPNetwork.Parse(n))];
        _allowed = [.. options.AllowedNetworks.Select(static n => IPNetwork.Parse(n))];
    }

    /// <summary>Whether <paramref name="entry"/> can be a <see cref="HttpTargetOptions.DeniedHosts"/> entry.</summary>
    public static bool IsValidHostEntry(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }

        var host = Normalize(entry);
        if (host.StartsWith(WildcardPrefix, StringComparison.Ordinal))
        {
            host = host[WildcardPrefix.Length..];
        }

        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }

    /// <summary>Throws when the host name itself is denied; called before it is resolved.</summary>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.PermissionDenied"/> naming the endpoint and the entry that denies it.</exception>
    public void ThrowIfHostDenied(string host, Uri? endpoint)
    {
        var normalized = Normalize(host);
        if (_hosts.Contains(normalized))
        {
            throw Denied(endpoint, host, $"the host {host} is a denied host");
        }

        foreach (var suffix in _suffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                throw Denied(endpoint, host, $"the host {host} matches the denied host *{suffix}");
            }
        }
    }

    /// <summary>
    /// Throws when any of the addresses the host resolved to is in a denied network, in a reserved network the host did not
    /// allow, or is the unspecified address (0.0.0.0 or ::, which reach this host) while a loopback address is denied.
    /// </summary>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.PermissionDenied"/> naming the endpoint, the address, the network and, for a reserved network, how to allow it.</exception>
    public void ThrowIfAddressDenied(string host, bool isLiteral, IPAddress[] addresses, Uri? endpoint)
    {
        foreach (var address in addresses)
        {
            if (DenialOf(address) is { } denial)
            {
                throw Denied(endpoint, host, isLiteral ? $"{address} {denial.OfLiteral}" : $"{host} resolves to {address}, {denial.OfResolved}");
            }
        }
    }

    /// <summary>
    /// Why <paramref name="address"/> is denied, as the end of a sentence about the address itself (<c>127.0.0.1 is in…</c>) and
    /// about a name resolving to it (<c>localhost resolves to 127.0.0.1, in…</c>); <see langword="null"/> when it is not.
    /// </summary>
    internal (string OfLiteral, string OfResolved)? DenialOf(IPAddress address)
    {
        // The host's own denials come first: they hold even inside a network the host allowed.
        if (TryFind(_networks, address, out var network))
        {
            return In($"the denied network {network}");
        }

        // Connecting to 0.0.0.0 or :: reaches this host itself, over loopback: a name resolving to it must not walk around a
        // policy that denies loopback.
        if (IsUnspecified(address) && (TryFind(_networks, IPAddress.Loopback, out network) || TryFind(_networks, IPAddress.IPv6Loopback, out network)))
        {
            return StandsForThisHost($"the denied network {network}");
        }

        if (TryFindReserved(address, out var reserved))
        {
            return In(Describe(reserved));
        }

        if (IsUnspecified(address) && (TryFindReserved(IPAddress.Loopback, out reserved) || TryFindReserved(IPAddress.IPv6Loopback, out reserved)))
        {
            return StandsForThisHost(Describe(reserved));
        }

        return null;
    }

    private static (string, string) In(string network) => ($"is in {network}", $"in {network}");

    private static (string, string) StandsForThisHost(string network) =>
        ($"stands for this host, and its loopback address is in {network}", $"which stands for this host, and its loopback address is in {network}");

    private static string Describe(ReservedNetwork reserved) =>
        $"the {reserved.Kind} network {reserved.Network}, which targets may not reach by default; {ReservedNetworks.HowToAllow(reserved.Kind, reserved.Network)}";

    private bool TryFindReserved(IPAddress address, out ReservedNetwork reserved)
    {
        foreach (var candidate in ReservedNetworks.All)
        {
            if (Contains(candidate.Network, address) && !TryFind(_allowed, address, out _))
            {
                reserved = candidate;
                return true;
            }
        }

        reserved = default;
        return false;
    }

    private static bool IsUnspecified(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || (address.IsIPv4MappedToIPv6 && address.MapToIPv4().Equals(IPAddress.Any));

    private static bool TryFind(IPNetwork[] networks, IPAddress address, out IPNetwork network)
    {
        foreach (var candidate in networks)
        {
            if (Contains(candidate, address))
            {
                network = candidate;
                return true;
            }
        }

        network = default;
        return false;
    }

    /// <summary>
    /// Whether <paramref name="network"/> holds <paramref name="address"/>: 127.0.0.1 may be reached as ::ffff:127.0.0.1 and the
    /// other way round, so a network written in one form covers both.
    /// </summary>
    /// <remarks>
    /// Compared bit by bit here because <see cref="IPNetwork.Contains"/> answers true for an IPv4-mapped address against unrelated
    /// IPv6 networks (<c>::ffff:1.0.0.0</c> in <c>fc00::/7</c>), which would deny public addresses reached in that form.
    /// </remarks>
    internal static bool Contains(IPNetwork network, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var networkAddress = network.BaseAddress;
        var prefixLength = network.PrefixLength;
        if (networkAddress.IsIPv4MappedToIPv6 && prefixLength >= 96)
        {
            networkAddress = networkAddress.MapToIPv4();
            prefixLength -= 96;
        }

        if (networkAddress.AddressFamily != address.AddressFamily)
        {
            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                return false;
            }

            // An IPv6 network wider than ::ffff:0:0/96, such as ::/0, holds the mapped form of every IPv4 address.
            address = address.MapToIPv6();
        }

        Span<byte> expected = stackalloc byte[16];
        Span<byte> actual = stackalloc byte[16];
        networkAddress.TryWriteBytes(expected, out var length);
        address.TryWriteBytes(actual, out _);
        var whole = prefixLength / 8;
        if (!expected[..whole].SequenceEqual(actual[..whole]))
        {
            return false;
        }

        var rest = prefixLength % 8;
        if (rest == 0 || whole >= length)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (expected[whole] & mask) == (actual[whole] & mask);
    }

    private static ActionExecException Denied(Uri? endpoint, string host, string detail)
    {
        // The path identifies the target; the query and any user info may carry secrets and are left out.
        var shown = endpoint is null ? host : $"{endpoint.Scheme}://{endpoint.Authority}{endpoint.AbsolutePath}";
        return new ActionExecException(ActionExecErrorCode.PermissionDenied, $"endpoint {shown} is denied: {detail}");
    }

    private static string Normalize(string host)
    {
        host = host.Trim();
        if (host.Length > 1 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }

        return host.EndsWith('.') ? host[..^1] : host;
    }
}
