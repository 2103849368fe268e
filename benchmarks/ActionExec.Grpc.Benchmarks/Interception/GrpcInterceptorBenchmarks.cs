using System.Text;
using ActionExec.AspNetCore;
using ActionExec.Benchmarks.Dispatch;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Grpc.Benchmarks.Protos;
using ActionExec.Management;
using ActionExec.Targets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Grpc.Benchmarks.Interception;

/// <summary>
/// What the gRPC interceptor adds to a unary call, in process: its <c>UnaryServerHandler</c> called directly with a minimal
/// <see cref="ServerCallContext"/>, around a handler that answers at once.
/// </summary>
/// <remarks>
/// <para><c>NoMatch</c>: a call whose method no execution applies to, through the interceptor, against the handler called
/// without it (the baseline): the price every unary call of a host pays. Goal (issue 11): at most 1 µs more and 0 B more.</para>
/// <para><c>OneWebhook</c>: a call whose request flow has one webhook target on a no-op in-process invoker, through the gRPC
/// interceptor and through the REST interception middleware (the baseline) with the same message as JSON. The REST row
/// includes what its path needs per request (a fresh request body stream, as a real request brings its own);
/// <c>RestWithoutInterceptor</c> is that part alone, so the REST interceptor's own share can be read off.</para>
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[IterationTime(200)]
public class GrpcInterceptorBenchmarks
{
    private const string Tenant = "bench";
    private const string NoMatchMethod = "/bench.v1.UserService/ListUsers";
    private const string WebhookMethod = "/bench.v1.UserService/AddHumanUser";
    private const string NoMatch = "NoMatch";
    private const string OneWebhook = "OneWebhook";

    private static readonly byte[] RequestJson = Encoding.UTF8.GetBytes(
        """{"username":"minnie","organization":{"orgId":"69629023906488334"},"profile":{"givenName":"Minnie","familyName":"Mouse","preferredLanguage":"en"},"email":{"email":"minnie@example.com","isVerified":true}}""");

    private static readonly byte[] ResponseJson = """{"userId":"69629026806489455"}"""u8.ToArray();

    private static readonly Task<AddHumanUserResponse> Answer = Task.FromResult(new AddHumanUserResponse { UserId = "69629026806489455" });

    private static readonly UnaryServerMethod<AddHumanUserRequest, AddHumanUserResponse> Handler = static (_, _) => Answer;

    private static readonly RequestDelegate RestHandler = static context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(ResponseJson).AsTask();
    };

    private readonly NoOpInvoker _invoker = new(readsDeliveryId: false);
    private ServiceProvider _services = null!;
    private GrpcExecutionInterceptor _interceptor = null!;
    private ExecutionInterceptor _rest = null!;
    private AddHumanUserRequest _request = null!;
    private BenchmarkCallContext _noMatchCall = null!;
    private BenchmarkCallContext _webhookCall = null!;
    private DefaultHttpContext _restContext = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddActionExecutions()
            .AddTargetInvoker("inproc", _invoker)
            .AddCatalog(static c => c.AddMethods(NoMatchMethod, WebhookMethod))
            .AddActionExecutionsApi(static o => o.DefaultTenantId = Tenant)
            .AddGrpcServices();
        _services = services.BuildServiceProvider();
        _interceptor = _services.GetRequiredService<GrpcExecutionInterceptor>();
        _rest = _services.GetRequiredService<ExecutionInterceptor>();
        _request = AddHumanUserRequest.Parser.ParseJson(Encoding.UTF8.GetString(RequestJson));
        _noMatchCall = new BenchmarkCallContext(NoMatchMethod, GrpcHttpContext());
        _webhookCall = new BenchmarkCallContext(WebhookMethod, GrpcHttpContext());
        _restContext = RestHttpContext();

        var admin = ManagementCaller.ForHost(Tenant);
        var management = _services.GetRequiredService<IActionManagement>();
        var target = management.CreateTargetAsync(admin, new TargetSpec
        {
            Name = "hook",
            Endpoint = "inproc://hooks/0",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(10),
        }).AsTask().GetAwaiter().GetResult();
        management.SetExecutionAsync(admin, Condition.RequestMethod(WebhookMethod), [ExecutionEntry.ForTarget(target.Target.Id)]).AsTask().GetAwaiter().GetResult();

        // A benchmark that measures the wrong path is worse than none: the no-match call must call nothing, the others one target.
        Check(0, () => ThroughInterceptorNoMatch().GetAwaiter().GetResult());
        Check(1, () => GrpcInterceptor().GetAwaiter().GetResult());
        Check(1, () => RestInterceptor().GetAwaiter().GetResult());
        Check(0, () => RestWithoutInterceptor().GetAwaiter().GetResult());
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(NoMatch)]
    public Task<AddHumanUserResponse> HandlerAlone() => Handler(_request, _noMatchCall);

    [Benchmark]
    [BenchmarkCategory(NoMatch)]
    public Task<AddHumanUserResponse> ThroughInterceptorNoMatch() => _interceptor.UnaryServerHandler(_request, _noMatchCall, Handler);

    [Benchmark]
    [BenchmarkCategory(OneWebhook)]
    public Task<AddHumanUserResponse> GrpcInterceptor() => _interceptor.UnaryServerHandler(_request, _webhookCall, Handler);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(OneWebhook)]
    public Task RestInterceptor()
    {
        Reset(_restContext);
        return _rest.InvokeAsync(_restContext, RestHandler);
    }

    [Benchmark]
    [BenchmarkCategory(OneWebhook)]
    public Task RestWithoutInterceptor()
    {
        Reset(_restContext);
        return RestHandler(_restContext);
    }

    private static DefaultHttpContext GrpcHttpContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Protocol = "HTTP/2";
        context.Request.ContentType = "application/grpc";
        context.Request.Headers["te"] = "trailers";
        context.Request.Headers["grpc-accept-encoding"] = "identity,gzip";
        context.Request.Headers["user-agent"] = "grpc-dotnet/2.85.0";
        return context;
    }

    private static DefaultHttpContext RestHttpContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Protocol = "HTTP/1.1";
        context.Request.ContentType = "application/json";
        context.Request.Headers["accept"] = "application/json";
        context.Request.Headers["user-agent"] = "dotnet/10.0";
        context.SetEndpoint(new Endpoint(RestHandler, new EndpointMetadataCollection(new ExecutionMethodAttribute(WebhookMethod)), "AddHumanUser"));
        return context;
    }

    private static void Reset(DefaultHttpContext context)
    {
        context.Request.Body = new MemoryStream(RequestJson, writable: false);
        context.Request.ContentLength = RequestJson.Length;
        context.Response.ContentLength = null;
    }

    private void Check(int calls, Action run)
    {
        var before = _invoker.Calls;
        run();
        if (_invoker.Calls - before != calls)
        {
            throw new InvalidOperationException($"The call made {_invoker.Calls - before} target calls instead of {calls}.");
        }
    }
}
