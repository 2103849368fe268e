using System.Net;
using ActionExec.Grpc.Benchmarks.Protos;
using BenchmarkDotNet.Attributes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActionExec.Grpc.Benchmarks.Interception;

/// <summary>
/// A unary call with no matching execution over a real HTTP/2 loopback channel (Kestrel on 127.0.0.1, Grpc.Net.Client), to a
/// host without the interceptor (the baseline), to one with an interceptor that does nothing (what gRPC's interceptor pipeline
/// costs any interceptor) and to one with ActionExec's, in the same run. The transport dominates; the differences are what
/// the pipeline and the interceptor add to a real call. Allocation is the client's and the server's together.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[IterationTime(250)]
public class GrpcLoopbackBenchmarks
{
    private const string Tenant = "bench";

    private readonly AddHumanUserRequest _request = new() { Username = "minnie" };
    private WebApplication _plain = null!;
    private WebApplication _intercepted = null!;
    private WebApplication _passThrough = null!;
    private GrpcChannel _passThroughChannel = null!;
    private UserService.UserServiceClient _passThroughClient = null!;
    private GrpcChannel _plainChannel = null!;
    private GrpcChannel _interceptedChannel = null!;
    private UserService.UserServiceClient _plainClient = null!;
    private UserService.UserServiceClient _interceptedClient = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_plain, _plainChannel) = Start(Interception.None);
        (_passThrough, _passThroughChannel) = Start(Interception.PassThrough);
        (_intercepted, _interceptedChannel) = Start(Interception.ActionExec);
        _passThroughClient = new UserService.UserServiceClient(_passThroughChannel);
        _plainClient = new UserService.UserServiceClient(_plainChannel);
        _interceptedClient = new UserService.UserServiceClient(_interceptedChannel);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var channel in new[] { _plainChannel, _passThroughChannel, _interceptedChannel })
        {
            channel.Dispose();
        }

        foreach (var app in new[] { _plain, _passThrough, _intercepted })
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<string> WithoutInterceptor() => (await _plainClient.ListUsersAsync(_request).ConfigureAwait(false)).UserId;

    [Benchmark]
    public async Task<string> WithPassThroughInterceptor() => (await _passThroughClient.ListUsersAsync(_request).ConfigureAwait(false)).UserId;

    [Benchmark]
    public async Task<string> WithInterceptor() => (await _interceptedClient.ListUsersAsync(_request).ConfigureAwait(false)).UserId;

    private enum Interception
    {
        None,
        PassThrough,
        ActionExec,
    }

    private static (WebApplication App, GrpcChannel Channel) Start(Interception interception)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        switch (interception)
        {
            case Interception.ActionExec:
                builder.Services.AddGrpc(o => o.AddActionExecutions());
                builder.Services.AddActionExecutions().AddActionExecutionsApi(static o => o.DefaultTenantId = Tenant).AddGrpcServices();
                break;
            case Interception.PassThrough:
                builder.Services.AddSingleton<PassThroughInterceptor>();
                builder.Services.AddGrpc(o => o.Interceptors.Add<PassThroughInterceptor>());
                break;
            default:
                builder.Services.AddGrpc();
                break;
        }

        var app = builder.Build();
        app.MapGrpcService<BenchmarkUserService>();
        app.StartAsync().GetAwaiter().GetResult();
        return (app, GrpcChannel.ForAddress(app.Urls.Single()));
    }
}
