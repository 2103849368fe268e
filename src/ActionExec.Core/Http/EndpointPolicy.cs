using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using ActionExec.Errors;

namespace ActionExec.Http;

/// <summary>
/// The compiled endpoint policy of <see cref="HttpTargetOptions"/>: denied host names (exact or <c>*.</c> suffix) and denied
/// IP networks. Built once from validated options; checked by the connect callback of the targets' primary handler.
/// </summary>
internal sealed class EndpointPolicy
{
    private const string WildcardPrefix = "*.";

    private readonly FrozenSet<string> _hosts;
    private readonly string[] _suffixes;
    private readonly IPNetwork[] _networks;

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
    /// Throws when any of the addresses the host resolved to is in a denied network, or is the unspecified address (0.0.0.0 or
    /// ::, which reach this host) while a loopback address is denied.
    /// </summary>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.PermissionDenied"/> naming the endpoint, the address and the network.</exception>
    public void ThrowIfAddressDenied(string host, bool isLiteral, IPAddress[] addresses, Uri? endpoint)
    {
        foreach (var address in addresses)
        {
            if (TryFindNetwork(address, out var network))
            {
                var detail = isLiteral
                    ? $"{address} is in the denied network {network}"
                    : $"{host} resolves to {address}, in the denied network {network}";
                throw Denied(endpoint, host, detail);
            }

            // Connecting to 0.0.0.0 or :: reaches this host itself, over loopback: a name resolving to it must not walk
            // around a policy that denies loopback.
            if (IsUnspecified(address) && (TryFindNetwork(IPAddress.Loopback, out network) || TryFindNetwork(IPAddress.IPv6Loopback, out network)))
            {
                var detail = isLiteral
                    ? $"{address} stands for this host, and its loopback address is in the denied network {network}"
                    : $"{host} resolves to {address}, which stands for this host, and its loopback address is in the denied network {network}";
                throw Denied(endpoint, host, detail);
            }
        }
    }

    private static bool IsUnspecified(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || (address.IsIPv4MappedToIPv6 && address.MapToIPv4().Equals(IPAddress.Any));

    private bool TryFindNetwork(IPAddress address, out IPNetwork network)
    {
        if (TryFindNetworkExact(address, out network))
        {
            return true;
        }

        // 127.0.0.1 may be reached as ::ffff:127.0.0.1 and the other way round; a network written in one form covers both.
        if (address.IsIPv4MappedToIPv6)
        {
            return TryFindNetworkExact(address.MapToIPv4(), out network);
        }

        return address.AddressFamily == AddressFamily.InterNetwork && TryFindNetworkExact(address.MapToIPv6(), out network);
    }

    private bool TryFindNetworkExact(IPAddress address, out IPNetwork network)
    {
        foreach (var candidate in _networks)
        {
            if (candidate.Contains(address))
            {
                network = candidate;
                return true;
            }
        }

        network = default;
        return false;
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
