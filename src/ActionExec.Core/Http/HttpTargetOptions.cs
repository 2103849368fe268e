namespace ActionExec.Http;

/// <summary>
/// Options of the built-in invoker for <c>http</c> and <c>https</c> targets (spec §8): which named <see cref="HttpClient"/> it
/// uses and the endpoint policy. Validated when the invoker is first resolved (and when the host starts), listing every problem.
/// </summary>
/// <remarks>
/// The policy is enforced when a connection is opened, against the address the host name resolved to at that moment, so
/// that DNS cannot route a permitted name to a denied address. A host that replaces the named client's primary handler
/// replaces the policy with it.
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
}
