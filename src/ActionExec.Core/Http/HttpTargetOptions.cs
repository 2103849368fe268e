namespace ActionExec.Http;

/// <summary>
/// Options of the built-in invoker for <c>http</c> and <c>https</c> targets: which named <see cref="HttpClient"/> it
/// uses and the endpoint policy. Validated when the invoker is first resolved (and when the host starts), listing every problem.
/// </summary>
/// <remarks>
/// <para>
/// Safe by default: targets may not reach loopback (<c>127.0.0.0/8</c>, <c>::1</c>), private (<c>10.0.0.0/8</c>,
/// <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>, <c>fc00::/7</c>), link-local (<c>169.254.0.0/16</c>, where clouds serve instance
/// metadata, and <c>fe80::/10</c>), shared CGNAT (<c>100.64.0.0/10</c>), unspecified (<c>0.0.0.0/8</c>, <c>::</c>) or multicast
/// (<c>224.0.0.0/4</c>, <c>ff00::/8</c>) addresses, nor the IPv4-mapped IPv6 forms of the IPv4 ones, so that whoever may create a
/// target cannot make the host call into its own network. A host opts out explicitly, network by network, with
/// <see cref="AllowLoopback"/>, <see cref="AllowPrivateNetworks"/> or <see cref="AllowedNetworks"/>.
/// </para>
/// <para>
/// The policy is enforced when a connection is opened, against the address the host name resolved to at that moment, so
/// that DNS cannot route a permitted name to a denied address. A host that replaces the named client's primary handler
/// replaces the policy with it.
/// </para>
/// <para>
/// Bound from configuration under <c>HttpTargets</c> by <c>AddActionExecutions(IConfiguration)</c>: <c>ClientName</c>, and
/// <c>DeniedHosts</c>, <c>DeniedNetworks</c> and <c>AllowedNetworks</c> as arrays (<c>AllowedNetworks:0</c> = <c>127.0.0.0/8</c>).
/// </para>
/// </remarks>
public sealed class HttpTargetOptions
{
    /// <summary>The default <see cref="ClientName"/>: <c>ActionExec</c>.</summary>
    public const string DefaultClientName = "ActionExec";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> taken from <c>IHttpClientFactory</c>. Configure it with
    /// <c>services.AddHttpClient(name)</c> to add handlers; the primary handler (redirects off, the endpoint policy) is set by
    /// ActionExec. Default <see cref="DefaultClientName"/>.
    /// </summary>
    public string ClientName { get; set; } = DefaultClientName;

    /// <summary>
    /// Host names targets may not call (case-insensitive; a trailing dot is ignored). An entry <c>*.example.com</c> denies every
    /// subdomain of <c>example.com</c>, not <c>example.com</c> itself. Checked against the endpoint's host before it is resolved.
    /// </summary>
    public ISet<string> DeniedHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// IP networks targets may not call, in CIDR notation (<c>127.0.0.0/8</c>, <c>169.254.0.0/16</c>, <c>fd00::/8</c>). A host name
    /// is denied when any address it resolves to is in one of them; an IPv4 address is also checked in its IPv4-mapped IPv6
    /// form and the other way round. Address bits past the prefix length are ignored: <c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>.
    /// The unspecified addresses <c>0.0.0.0</c> and <c>::</c> reach this host, so they are denied wherever a loopback address
    /// (<c>127.0.0.1</c> or <c>::1</c>) is.
    /// </summary>
    public IList<string> DeniedNetworks { get; } = [];

    /// <summary>
    /// Reserved networks targets may reach after all, in CIDR notation: an address in loopback, private, link-local, CGNAT,
    /// unspecified or multicast networks is denied unless it is in one of these. Empty by default. <see cref="DeniedNetworks"/>
    /// and <see cref="DeniedHosts"/> still deny inside an allowed network. <see cref="AllowLoopback"/> and
    /// <see cref="AllowPrivateNetworks"/> add the usual entries.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>
    /// Lets targets reach this machine: adds <c>127.0.0.0/8</c> and <c>::1/128</c> to <see cref="AllowedNetworks"/>. For
    /// development and for tests with a receiver on loopback; a production host that lets others create targets should not.
    /// </summary>
    /// <returns>These options.</returns>
    public HttpTargetOptions AllowLoopback() => Allow(ReservedNetworks.Loopback);

    /// <summary>
    /// Lets targets reach private networks: adds <c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c> and
    /// <c>fc00::/7</c> to <see cref="AllowedNetworks"/>. For a host whose targets are its own services inside its network and
    /// whose targets are created only by people trusted with that network.
    /// </summary>
    /// <returns>These options.</returns>
    public HttpTargetOptions AllowPrivateNetworks() => Allow(ReservedNetworks.Private);

    private HttpTargetOptions Allow(string[] networks)
    {
        foreach (var network in networks)
        {
            if (!AllowedNetworks.Contains(network))
            {
                AllowedNetworks.Add(network);
            }
        }

        return this;
    }
}
