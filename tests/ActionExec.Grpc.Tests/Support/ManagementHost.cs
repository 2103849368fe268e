using System.Net;
using System.Net.Http.Headers;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Management;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Grpc.Tests.Support;

/// <summary>
/// A host serving the management API three ways on loopback Kestrel: the HTTP routes and gRPC-Web on an HTTP/1.1 endpoint,
/// gRPC on an HTTP/2 (h2c) endpoint. Both ports are chosen by the system.
/// </summary>
public sealed class ManagementHost : IAsyncDisposable
{
    public const string Tenant = "69629023906488334";

    public static readonly DateTimeOffset Start = new(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ManagementHost(WebApplication app, Uri http1, Uri http2, FakeTimeProvider clock)
    {
        _app = app;
        Http1 = http1;
        Http2 = http2;
        Clock = clock;
        Http = new HttpClient { BaseAddress = http1, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The HTTP/1.1 endpoint: the JSON API and gRPC-Web.</summary>
    public Uri Http1 { get; }

    /// <summary>The HTTP/2 endpoint: gRPC.</summary>
    public Uri Http2 { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The host's own management calls, for arranging state whatever the transport under test.</summary>
    public IActionManagement Management => _app.Services.GetRequiredService<IActionManagement>();

    public static ManagementCaller HostCaller { get; } = ManagementCaller.ForHost(Tenant);

    public static async Task<ManagementHost> StartAsync(Action<IActionExecutionsBuilder>? configure = null)
    {
        var clock = new FakeTimeProvider(Start);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http1 = null;
        ListenOptions? http2 = null;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, o => (http1 = o).Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, o => (http2 = o).Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddGrpc();
        var actions = builder.Services.AddActionExecutions()
            .AddHttpTargets(static o => o.AllowLoopback())
            .AddActionExecutionsApi(static o => o.DefaultTenantId = Tenant);
        configure?.Invoke(actions);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseGrpcWeb();
        app.UseActionExecutions();
        app.MapActionExecutionsApi();
        app.MapActionExecutionsGrpc().EnableGrpcWeb();
        await app.StartAsync();

        return new ManagementHost(app, Address(http1!), Address(http2!), clock);
    }

    /// <summary>A gRPC channel over HTTP/2, or over gRPC-Web on HTTP/1.1; every call carries <paramref name="key"/> as its bearer token.</summary>
    public GrpcChannel Channel(bool web, string? key = TestAuthenticationHandler.Admin)
    {
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            if (key is not null)
            {
                metadata.Add("Authorization", "Bearer " + key);
            }

            return Task.CompletedTask;
        });
        HttpMessageHandler handler = web
            ? new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler())
            : new SocketsHttpHandler();
        return GrpcChannel.ForAddress(web ? Http1 : Http2, new GrpcChannelOptions
        {
            HttpHandler = handler,
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
            HttpVersion = web ? HttpVersion.Version11 : HttpVersion.Version20,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private static Uri Address(ListenOptions options) => new($"http://127.0.0.1:{options.IPEndPoint!.Port}");
}
