using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Grpc.Tests.Protos;
using ActionExec.Management;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Grpc.Tests.Support;

/// <summary>
/// A host with everything a host can install at once, on loopback Kestrel: the HTTP interceptor (<c>UseActionExecutions</c>) in
/// front of its own endpoint <c>POST /host/echo</c> (the method <c>/pkg.v1.Host/Echo</c>), the gRPC interceptor on every service
/// with its own echo service, and the management API as JSON routes and as the three gRPC services, over gRPC (HTTP/2) and gRPC-Web
/// (HTTP/1.1, next to the JSON routes).
/// </summary>
public sealed class InterceptedHost : IAsyncDisposable
{
    public const string Tenant = "tenant-escape";

    public const string HostMethod = "/pkg.v1.Host/Echo";

    private readonly WebApplication _app;

    private InterceptedHost(WebApplication app, Uri http1, Uri http2)
    {
        _app = app;
        Http1 = http1;
        Http2 = http2;
        Http = new HttpClient { BaseAddress = http1, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The HTTP/1.1 endpoint: the JSON routes, the host's own endpoint and gRPC-Web.</summary>
    public Uri Http1 { get; }

    /// <summary>The HTTP/2 endpoint: gRPC.</summary>
    public Uri Http2 { get; }

    public HttpClient Http { get; }

    public IActionManagement Management => _app.Services.GetRequiredService<IActionManagement>();

    public static ManagementCaller HostCaller { get; } = ManagementCaller.ForHost(Tenant);

    public static async Task<InterceptedHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http1 = null;
        ListenOptions? http2 = null;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, o => (http1 = o).Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, o => (http2 = o).Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton<EchoCalls>();
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddGrpc(static o => o.AddActionExecutions());
        builder.Services.AddActionExecutions()
            .AddHttpTargets(static o => o.AllowLoopback())
            .AddActionExecutionsApi(static o => o.DefaultTenantId = Tenant)
            .AddGrpcServices();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseGrpcWeb();
        app.UseActionExecutions();
        app.MapPost("/host/echo", static async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            return Results.Text(await reader.ReadToEndAsync(), "application/json");
        }).WithExecutionMethod(HostMethod);
        app.MapGrpcService<EchoServer>().EnableGrpcWeb();
        app.MapActionExecutionsApi();
        app.MapActionExecutionsGrpc().EnableGrpcWeb();
        await app.StartAsync();

        return new InterceptedHost(app, Address(http1!), Address(http2!));
    }

    /// <summary>A loopback endpoint that refuses connections: a port the system gave out and that nothing listens on any more.</summary>
    public static string RefusingEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/broken";
    }

    /// <summary>A gRPC channel over HTTP/2, or over gRPC-Web on HTTP/1.1, whose calls carry the administrator's bearer token.</summary>
    public GrpcChannel Channel(bool web)
    {
        var credentials = CallCredentials.FromInterceptor(static (_, metadata) =>
        {
            metadata.Add("Authorization", "Bearer " + TestAuthenticationHandler.Admin);
            return Task.CompletedTask;
        });
        HttpMessageHandler handler = web ? new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()) : new SocketsHttpHandler();
        return GrpcChannel.ForAddress(web ? Http1 : Http2, new GrpcChannelOptions
        {
            HttpHandler = handler,
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
            HttpVersion = web ? HttpVersion.Version11 : HttpVersion.Version20,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
    }

    /// <summary>A call of the JSON API as the administrator.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthenticationHandler.Admin);
        return await Http.SendAsync(request);
    }

    /// <summary>The host's own intercepted HTTP call.</summary>
    public async Task<HttpStatusCode> CallHostHttpAsync()
    {
        using var response = await Http.PostAsync("/host/echo", new StringContent("""{"name":"Ann"}""", Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>The host's own intercepted gRPC call, over gRPC or gRPC-Web: its status code, <c>OK</c> when it answered.</summary>
    public async Task<StatusCode> CallHostGrpcAsync(bool web)
    {
        using var channel = Channel(web);
        try
        {
            await new EchoService.EchoServiceClient(channel).SayAsync(new SayRequest { Name = "Ann" });
            return StatusCode.OK;
        }
        catch (RpcException error)
        {
            return error.StatusCode;
        }
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
