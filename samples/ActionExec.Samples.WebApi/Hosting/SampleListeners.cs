using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ActionExec.Samples.WebApi.Hosting;

/// <summary>
/// Where the sample listens. Plain-text HTTP/2 (h2c) needs an endpoint of its own: Kestrel serves HTTP/2 next to HTTP/1.1 on one
/// endpoint only with TLS, where the protocol is negotiated; without it such an endpoint speaks HTTP/1.1. So the standard
/// <c>urls</c> setting (or <c>http_ports</c>, or <see cref="WebApiSample.DefaultUrls"/>) is served as HTTP/1.1 (the management
/// API, the demo API as JSON and as gRPC-Web), and <c>ActionExec:Sample:GrpcUrls</c> as HTTP/2 only (the demo API as gRPC). An
/// <c>https://</c> address of either list serves both protocols, negotiated by TLS with the development certificate.
/// </summary>
/// <remarks>
/// Kestrel binds either the <c>urls</c> setting or the endpoints set in code, never some of each; so the sample reads the setting,
/// sets every endpoint in code, and leaves the setting with no address, which would otherwise be reported as overridden.
/// </remarks>
internal sealed class SampleListeners
{
    /// <summary>The setting of the gRPC (HTTP/2) addresses, separated by <c>;</c> as <c>urls</c> are.</summary>
    public const string GrpcUrlsKey = "ActionExec:Sample:GrpcUrls";

    /// <summary>Where gRPC is served when <see cref="GrpcUrlsKey"/> does not say.</summary>
    public const string DefaultGrpcUrls = "http://127.0.0.1:5081";

    private SampleListeners(IReadOnlyList<string> http1, IReadOnlyList<string> grpc)
    {
        Http1 = http1;
        Grpc = grpc;
    }

    /// <summary>The addresses served as HTTP/1.1, in the order they are bound (before <see cref="Grpc"/>).</summary>
    public IReadOnlyList<string> Http1 { get; }

    /// <summary>The addresses served as HTTP/2, bound after <see cref="Http1"/>.</summary>
    public IReadOnlyList<string> Grpc { get; }

    /// <summary>Reads both lists from the configuration and binds them in code.</summary>
    /// <exception cref="InvalidOperationException">An address cannot be read; the message names it and the setting.</exception>
    public static SampleListeners Configure(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var http1 = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (http1.Count == 0)
        {
            http1 = [.. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(static port => "http://*:" + port)];
            http1 = [.. http1, .. Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(static port => "https://*:" + port)];
        }

        if (http1.Count == 0)
        {
            http1 = [WebApiSample.DefaultUrls];
        }

        var grpc = Split(configuration[GrpcUrlsKey] ?? DefaultGrpcUrls);
        var listeners = new SampleListeners(http1, grpc);
        var bindings = http1.Select(url => Parse(url, WebHostDefaults.ServerUrlsKey, HttpProtocols.Http1))
            .Concat(grpc.Select(url => Parse(url, GrpcUrlsKey, HttpProtocols.Http2)))
            .ToList();

        // A list of no address: an empty setting would fall back to the --urls the host read when it was created.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, ";");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var binding in bindings)
            {
                binding(kestrel);
            }
        });
        return listeners;
    }

    private static List<string> Split(string? urls) =>
        [.. (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static Action<KestrelServerOptions> Parse(string url, string setting, HttpProtocols plainText)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"The address '{url}' in {setting} cannot be read; give one such as 'http://127.0.0.1:5081'.", exception);
        }

        var https = string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        void Configure(ListenOptions listen)
        {
            if (https)
            {
                listen.UseHttps();
                listen.Protocols = HttpProtocols.Http1AndHttp2;
            }
            else
            {
                listen.Protocols = plainText;
            }
        }

        var port = address.Port;
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return kestrel => kestrel.ListenLocalhost(port, Configure);
        }

        return IPAddress.TryParse(address.Host, out var ip)
            ? kestrel => kestrel.Listen(ip, port, Configure)
            : kestrel => kestrel.ListenAnyIP(port, Configure);
    }
}
