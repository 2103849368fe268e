using System.Net;

namespace ActionExec.Http;

/// <summary>A reserved network and what kind of network it is (<c>loopback</c>, <c>link-local</c>…).</summary>
internal readonly record struct ReservedNetwork(IPNetwork Network, string Kind);
