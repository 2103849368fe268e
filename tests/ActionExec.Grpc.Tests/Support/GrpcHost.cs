using System.Net;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Grpc.Tests.Protos;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Grpc.Tests.Support;

/// <summary>
/// A real host on Kestrel: gRPC over HTTP/2 (h2c) on one loopback port and gRPC-Web over HTTP/1.1 on another, with
/// <c>AddGrpc(o =&gt; o.AddActionExecutions())</c>, <c>AddGrpcServices()</c>, the test services, clients for both transports,
/// and a <see cref="LoopbackReceiver"/> for the targets, which are created through <see cref="IActionManagement"/>.
/// </summary>
public sealed class GrpcHost : IAsyncDisposable
{
    public const string Tenant = "tenant-grpc";

    private readonly GrpcChannel _channel;
    private readonly GrpcChannel _webChannel;

    private GrpcHost(WebApplication app, LoopbackReceiver receiver, Uri http2, Uri http1)
    {
        App = app;
        Receiver = receiver;
        _channel = GrpcChannel.ForAddress(http2, new GrpcChannelOptions { MaxReceiveMessageSize = 32 * 1024 * 1024 });
        _webChannel = GrpcChannel.ForAddress(http1, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            MaxReceiveMessageSize = 32 * 1024 * 1024,
        });
        Echo = new EchoService.EchoServiceClient(_channel);
        Other = new OtherService.OtherServiceClient(_channel);
        WebEcho = new EchoService.EchoServiceClient(_webChannel);
    }

    public WebApplication App { get; }

    public LoopbackReceiver Receiver { get; }

    public EchoCalls Calls => App.Services.GetRequiredService<EchoCalls>();

    /// <summary>The echo service over HTTP/2.</summary>
    public EchoService.EchoServiceClient Echo { get; }

    /// <summary>The other service over HTTP/2.</summary>
    public OtherService.OtherServiceClient Other { get; }

    /// <summary>The echo service over gRPC-Web (HTTP/1.1).</summary>
    public EchoService.EchoServiceClient WebEcho { get; }

    /// <summary>The v2beta management service over HTTP/2, when the host maps it.</summary>
    internal Zitadel.Action.V2Beta.ActionService.ActionServiceClient Actions => new(_channel);

    public IActionManagement Management => App.Services.GetRequiredService<IActionManagement>();

    /// <summary>Starts the host; <paramref name="management"/> also maps the management services (<c>MapActionExecutionsGrpc</c>).</summary>
    public static async Task<GrpcHost> StartAsync(Action<IActionExecutionsBuilder>? configure = null, Action<IServiceCollection>? services = null, bool management = false)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton<EchoCalls>();
        builder.Services.AddGrpc(o => o.AddActionExecutions());
        services?.Invoke(builder.Services);
        var actions = builder.Services.AddActionExecutions()
            .AddHttpTargets(static o => o.AllowLoopback())
            .AddActionExecutionsApi(static o => o.DefaultTenantId = Tenant)
            .AddGrpcServices();
        configure?.Invoke(actions);

        var app = builder.Build();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<EchoServer>();
        app.MapGrpcService<OtherServer>();
        if (management)
        {
            app.MapActionExecutionsGrpc().EnableGrpcWeb();
        }

        await app.StartAsync();

        var addresses = app.Urls.Select(u => new Uri(u)).ToList();
        var http2 = addresses[0];
        var http1 = addresses[1];
        return new GrpcHost(app, receiver, http2, http1);
    }

    /// <summary>Creates a target whose endpoint is <c>/&lt;name&gt;</c> on the receiver.</summary>
    public async Task<string> CreateTargetAsync(string name, TargetType type = TargetType.Webhook, bool interrupt = true, TimeSpan? timeout = null)
    {
        var created = await Management.CreateTargetAsync(ManagementCaller.ForHost(Tenant), new TargetSpec
        {
            Name = name,
            Endpoint = Receiver.Url("/" + name),
            Type = type,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            InterruptOnError = interrupt,
        });
        return created.Target.Id;
    }

    public async Task SetExecutionAsync(Condition condition, params ExecutionEntry[] entries) =>
        await Management.SetExecutionAsync(ManagementCaller.ForHost(Tenant), condition, entries);

    public Task SetExecutionAsync(Condition condition, params string[] targetIds) =>
        SetExecutionAsync(condition, [.. targetIds.Select(ExecutionEntry.ForTarget)]);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        _webChannel.Dispose();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await App.StopAsync(stopping.Token);
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
