using System.Net;
using System.Net.Sockets;

namespace ActionExec.Http;

/// <summary>
/// Creates the primary handler of the targets' named client: redirects are never followed, no proxy, no cookies, and every
/// connection is opened by <see cref="ConnectAsync"/>, which enforces the <see cref="EndpointPolicy"/> on the resolved address.
/// </summary>
internal static class HttpTargetHandler
{
    /// <summary>Creates the handler.</summary>
    public static SocketsHttpHandler Create(EndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SocketsHttpHandler
        {
            // A 3xx is an answer like any other: following it would send the signed payload somewhere the target's owner did not register.
            AllowAutoRedirect = false,

            // A proxy would be the address the connect callback sees, and the policy would judge the proxy instead of the target.
            UseProxy = false,

            // One handler serves every target of every tenant: a cookie set by one must not reach another.
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context, cancellationToken),
        };
    }

    /// <summary>
    /// Resolves the endpoint's host, checks the name and every address against the policy, and connects only to the addresses
    /// it checked, so that a second resolution cannot return a different, denied one.
    /// </summary>
    internal static async ValueTask<Stream> ConnectAsync(EndpointPolicy policy, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var endpoint = context.InitialRequestMessage.RequestUri;
        policy.ThrowIfHostDenied(host, endpoint);

        var literal = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        var isLiteral = IPAddress.TryParse(literal, out var address);
        var addresses = isLiteral ? [address!] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        policy.ThrowIfAddressDenied(host, isLiteral, addresses, endpoint);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
